using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Metrics.Tests;

/// <summary>
/// The fold and the KPI queries are written once for SQLite (embedded) and PostgreSQL (distributed). The KPI tests prove
/// the figures on SQLite; this proves PostgreSQL gives exactly the same answers for the same events, rebuild included.
/// </summary>
public sealed class ProviderParityTests : IAsyncLifetime
{
    private static readonly string[] Queries =
    [
        "kpis/runs?from=2026-10-01&to=2026-11-30&groupBy=playbook,version,segment&bucket=week",
        "kpis/funnel?from=2026-10-01&to=2026-11-30&bucket=day",
        "kpis/goals?from=2026-10-01&to=2026-11-30&groupBy=playbook,segment",
        "kpis/variants?from=2026-10-01&to=2026-11-30",
        "kpis/tasks?from=2026-10-01&to=2026-11-30&groupBy=csm,team&bucket=week",
        "kpis/incidents?from=2026-10-01&to=2026-11-30&bucket=day",
        "kpis/renewals?from=2026-10-10&to=2026-10-31&groupBy=segment,team&bucket=week",
        "kpis/notifications?from=2026-10-01&to=2026-11-30&bucket=none",
        "prometheus",
    ];

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private PostgresServer _postgres = null!;
    private MetricsHost _onPostgres = null!;
    private MetricsHost _onSqlite = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _onPostgres = await MetricsHost.StartAsync(_postgres.ConnectionString, _clock);
        _onSqlite = await MetricsHost.StartAsync(null, _clock);
    }

    public async Task DisposeAsync()
    {
        await _onSqlite.DisposeAsync();
        await _onPostgres.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Postgres_and_sqlite_give_the_same_figures_for_the_same_events_before_and_after_a_rebuild()
    {
        var events = EventMix.Create(seed: 7);
        // In order: which segment a run counts in, or whether a notice answers an incident, depends on what came before it.
        foreach (var host in new[] { _onSqlite, _onPostgres }) await host.Bus.PublishAsync(events, CancellationToken.None);
        // Every event again, from four publishers at once so they fold in batches: redeliveries change nothing.
        await Task.WhenAll(events.Chunk(events.Count / 4 + 1).Select(part => _onPostgres.Bus.PublishAsync(part, CancellationToken.None)));

        var sqlite = await ReadAllAsync(_onSqlite);
        var postgres = await ReadAllAsync(_onPostgres);
        for (var i = 0; i < Queries.Length; i++) Assert.Equal(sqlite[i], postgres[i]);
        Assert.Contains("\"completed\":", sqlite[0]);
        Assert.Contains("\"coverage\":0.", sqlite[6]);
        Assert.Contains("playbooks_runs_started_total{playbook=\"renewal-outreach\"} 8", sqlite[8]);

        (await _onPostgres.Client.PostAsync("/api/metrics/rebuild", null)).EnsureSuccessStatusCode();
        var rebuilt = await ReadAllAsync(_onPostgres);
        for (var i = 0; i < Queries.Length; i++) Assert.Equal(postgres[i], rebuilt[i]);
    }

    private static Task<string[]> ReadAllAsync(MetricsHost host) =>
        Task.WhenAll(Queries.Select(q => host.Client.GetStringAsync($"/api/metrics/{q}")));
}
