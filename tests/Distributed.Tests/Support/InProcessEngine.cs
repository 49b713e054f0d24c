using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Instances;
using Playbooks.Engine.Storage;
using Playbooks.Messaging.Contracts;
using Playbooks.TestSupport;

namespace Playbooks.Distributed.Tests.Support;

/// <summary>
/// An engine replica in the test process, wired as a distributed replica is (PostgreSQL store, Redis Streams bus), for
/// tests that drive the runtime directly or give it a clock of their own. Point it at a database and a Redis of the
/// test's own, so it shares no consumer group with the cluster's replicas.
/// </summary>
public sealed class InProcessEngine : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessEngine(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public InstanceRuntime Runtime => _app.Services.GetRequiredService<InstanceRuntime>();

    private static int _replicas;

    /// <param name="settings">Settings of the test's own beside the replica's (e.g. <c>Engine:ClaimLeaseSeconds</c>); the replica's own keys win.</param>
    public static async Task<InProcessEngine> StartAsync(string postgres, string redis, string folder, TimeProvider? clock = null,
        IReadOnlyDictionary<string, string?>? settings = null) =>
        new(await EngineHost.StartAsync(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Playbooks:Mode"] = "Distributed",
            // Npgsql pools by connection string: a name of its own gives each replica in this process its own pool, as
            // each replica process has, so two replicas' lock holders never wait on each other's connections.
            ["ConnectionStrings:Postgres"] = $"{postgres};Application Name=engine-replica-{Interlocked.Increment(ref _replicas)}",
            ["ConnectionStrings:Redis"] = redis,
            ["Playbooks:Auth:SigningKey"] = DistributedCluster.SigningKey,
            ["Engine:WorkflowsPath"] = Path.Combine(folder, "no-workflows"),
        }, clock));

    public async Task<CompiledPlaybook> PublishAsync(JsonObject definition)
    {
        var parsed = EngineJson.Deserialize<PlaybookDefinition>(definition.ToJsonString());
        var store = _app.Services.GetRequiredService<DefinitionStore>();
        await store.CreateAsync(parsed, CancellationToken.None);
        await store.PublishAsync(parsed, "tests", CancellationToken.None);
        // As the API's publish does: re-index the triggers here, tell the other replicas, plan date triggers.
        await _app.Services.GetRequiredService<Playbooks.Engine.Triggers.PlaybookPublication>().ChangedAsync(parsed.DefinitionId, CancellationToken.None);
        return (await _app.Services.GetRequiredService<PlaybookVersions>().GetPublishedAsync(parsed.DefinitionId, CancellationToken.None))!;
    }

    public async Task<AccountSnapshot[]> AccountsAsync(string prefix, int count)
    {
        var accounts = Enumerable.Range(0, count).Select(i => new AccountSnapshot($"{prefix}-{i}", $"Customer {i}", "aiko@playbooks.example", null, "japan",
            "enterprise", 1000m, new DateOnly(2027, 6, 30), 70, "onboarding", "UTC", [])).ToArray();
        await _app.Services.GetRequiredService<Playbooks.Engine.Accounts.AccountStore>().UpsertAsync(accounts, "tests", CancellationToken.None);
        return accounts;
    }

    /// <summary>
    /// Waits until every account event in the replica's database is handled (by this replica or another on the same
    /// database); throws if that takes longer than <paramref name="within"/>.
    /// </summary>
    public async Task EventsHandledAsync(TimeSpan within)
    {
        var database = _app.Services.GetRequiredService<Playbooks.Storage.ServiceDatabase>();
        for (var until = DateTime.UtcNow + within; ; await Task.Delay(50))
        {
            await using (var connection = await database.OpenAsync())
                if (await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM account_events WHERE processed_at IS NULL") == 0) return;
            if (DateTime.UtcNow > until) throw new TimeoutException($"The account events were not handled within {within.TotalSeconds:N0} s.");
        }
    }

    /// <summary>A graceful stop, as a rolling deploy gives a replica.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
