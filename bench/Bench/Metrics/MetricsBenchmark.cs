using static Playbooks.Bench.MachineLoad;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Playbooks.Bench.Metrics;
using Playbooks.Messaging;
using Playbooks.Metrics;
using Playbooks.Metrics.Folding;
using Playbooks.Metrics.Storage;
using Playbooks.Storage;

namespace Playbooks.Bench;

/// <summary>Issue 7's goals: events folded per second (≥ 10,000/s) and KPI query p99 with 10,000,000 events folded (≤ 50 ms).</summary>
public sealed class MetricsBenchmark : IBenchmark
{
    public static readonly DateOnly Today = new(2026, 11, 23);

    private const int DirectRuns = 20_000;
    private const int BusRuns = 10_000;
    private const int BusPublishers = 32;
    private const int QueryRounds = 40;

    public string Name => "metrics";

    public string Title => "Metrics: events folded per second, KPI queries over 10,000,000 folded events";

    public async Task<IReadOnlyList<Measurement>> RunAsync(CancellationToken cancellationToken)
    {
        var root = Path.Combine(Path.GetTempPath(), "playbooks-bench-metrics", Guid.NewGuid().ToString("N"));
        try
        {
            return [.. await FoldDirectlyAsync(Path.Combine(root, "direct"), cancellationToken),
                .. await FoldThroughBusAsync(Path.Combine(root, "bus"), cancellationToken),
                .. await QueryAsync(Path.Combine(root, "query"), cancellationToken)];
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<IReadOnlyList<Measurement>> FoldDirectlyAsync(string path, CancellationToken cancellationToken)
    {
        var database = ServiceDatabase.Sqlite(path, MetricsService.Name);
        await MigrationRunner.ApplyAsync(database, MetricsMigrations.All, cancellationToken);
        var store = new MetricsStore(database, new EventFold(new EventDecoder(NullLogger<EventDecoder>.Instance), FoldRules.From(new MetricsOptions()), database),
            TimeProvider.System, NullLogger<MetricsStore>.Instance);
        var events = SyntheticRuns.For(0, DirectRuns, Today.ToDateTime(TimeOnly.MinValue).AddDays(-30));
        Console.WriteLine($"   folding {events.Count:N0} events directly in batches of {FoldQueue.BatchSize}");

        var (elapsed, cpu) = await MeasureAsync(async () =>
        {
            foreach (var batch in events.Chunk(FoldQueue.BatchSize)) await store.FoldAsync(batch, cancellationToken);
        });
        var (rebuildElapsed, _) = await MeasureAsync(() => store.RebuildAsync(cancellationToken));
        return
        [
            new("events folded, store fold path", events.Count / elapsed.TotalSeconds, "/s", "≥ 10,000/s", events.Count / elapsed.TotalSeconds >= 10_000,
                $"{events.Count:N0} events ({DirectRuns:N0} runs × 10: started, 5 activities, task created and completed, email, completed) in batches of {FoldQueue.BatchSize}, SQLite; load average {LoadAverage()} on 2 shared cores"),
            new("events folded per second of CPU time, store fold path", events.Count / cpu.TotalSeconds, "/s", "≥ 10,000/s", events.Count / cpu.TotalSeconds >= 10_000,
                $"what one uncontended core folds: {cpu.TotalMilliseconds * 1000 / events.Count:F0} ms of CPU (all threads: fold, SQLite, GC) per 1,000 events"),
            new("events replayed by a rebuild", events.Count / rebuildElapsed.TotalSeconds, "/s", Note: "POST /api/metrics/rebuild's path over the same store"),
        ];
    }

    private static async Task<IReadOnlyList<Measurement>> FoldThroughBusAsync(string path, CancellationToken cancellationToken)
    {
        await using var host = await MetricsBenchHost.StartAsync(path);
        var publishers = Enumerable.Range(0, BusPublishers)
            .Select(p => SyntheticRuns.For(p * (BusRuns / BusPublishers), BusRuns / BusPublishers, Today.ToDateTime(TimeOnly.MinValue).AddDays(-30)))
            .ToList();
        var count = publishers.Sum(p => p.Count);
        Console.WriteLine($"   publishing {count:N0} events from {BusPublishers} publishers on the in-process bus");

        var (elapsed, cpu) = await MeasureAsync(() => Task.WhenAll(publishers.Select(events => Task.Run(() => host.Bus.PublishAsync(events, cancellationToken), cancellationToken))));
        return
        [
            new("events folded through the bus", count / elapsed.TotalSeconds, "/s", "≥ 10,000/s", count / elapsed.TotalSeconds >= 10_000,
                $"{count:N0} events from {BusPublishers} concurrent publishers, each awaiting its event's commit (group commit gathers them into batches); load average {LoadAverage()}"),
            new("events folded per second of CPU time, through the bus", count / cpu.TotalSeconds, "/s", "≥ 10,000/s", count / cpu.TotalSeconds >= 10_000,
                "the whole path: publishers, bus, consumer, group commit, fold"),
        ];
    }

    private static async Task<IReadOnlyList<Measurement>> QueryAsync(string path, CancellationToken cancellationToken)
    {
        var database = ServiceDatabase.Sqlite(path, MetricsService.Name);
        await MigrationRunner.ApplyAsync(database, MetricsMigrations.All, cancellationToken);
        Console.WriteLine($"   seeding what folding {TenMillionEvents.Total:N0} events leaves behind");
        var (seeding, _) = await MeasureAsync(() => AggregateSeeder.SeedAsync(database));
        await using var host = await MetricsBenchHost.StartAsync(path);

        var random = new Random(7);
        // Warm-up: the first of each query compiles its code paths (JIT, Dapper's row readers).
        for (var i = 0; i < 3; i++)
            foreach (var template in QueryMix.Templates) await GetAsync(host.Client, QueryMix.Path(template, random), cancellationToken);
        var timings = new List<(string Query, double Ms)>();
        for (var round = 0; round < QueryRounds; round++)
            foreach (var template in QueryMix.Templates)
                timings.Add(($"{template.Kpi} {template.Days}d", await GetAsync(host.Client, QueryMix.Path(template, random), cancellationToken)));

        var wall = timings.Select(t => t.Ms).ToList();
        var perQuery = string.Join(", ", timings.GroupBy(t => t.Query).Select(g => $"{g.Key} {Percentile(g.Select(t => t.Ms).ToList(), 0.99):F0}"));
        return
        [
            new("KPI query over HTTP, p50", Percentile(wall, 0.5), "ms", Note:
                $"{TenMillionEvents.Total:N0} events' worth of daily and weekly buckets, sketch rollups and fold state ({TenMillionEvents.Runs:N0} runs, {TenMillionEvents.Accounts:N0} accounts), seeded in {seeding.TotalSeconds:F0} s"),
            new("KPI query over HTTP, p99", Percentile(wall, 0.99), "ms", "≤ 50 ms", Percentile(wall, 0.99) <= 50,
                $"{wall.Count} queries one at a time, {QueryRounds} rounds of {QueryMix.Templates.Count} dashboard queries over 7 to 90 days (QueryMix.cs); load average {LoadAverage()}; p99 per query (ms): {perQuery}"),
        ];
    }

    private static async Task<double> GetAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        using var response = await client.GetAsync(path, cancellationToken);
        await response.Content.ReadAsStringAsync(cancellationToken);
        response.EnsureSuccessStatusCode();
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    /// <summary>Wall time, and CPU time of every thread of the process (on this shared machine the two differ several-fold).</summary>
    private static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> MeasureAsync(Func<Task> work)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        await work();
        process.Refresh();
        return (stopwatch.Elapsed, process.TotalProcessorTime - cpu);
    }

    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Count) - 1)];
    }

}
