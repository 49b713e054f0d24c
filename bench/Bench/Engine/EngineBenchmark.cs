using static Playbooks.Bench.Engine.EngineWorkload;
using static Playbooks.Bench.MachineLoad;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Engine;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Expressions;
using Playbooks.Engine.Instances;
using Playbooks.Engine.Storage;
using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;
using Playbooks.ServiceDefaults;
using Playbooks.Storage;

namespace Playbooks.Bench.Engine;

/// <summary>
/// The engine as it runs embedded (SQLite file, in-process bus, outbox relay and timer worker running), driven through
/// its own <see cref="InstanceRuntime"/>: the figures issue 3 sets goals for on this machine.
/// The machine is shared, so besides wall-clock rates the process's own CPU time per operation is measured (everything
/// the engine spends, relay and GC included); the capacity of two idle cores follows from it, and the goals are judged on
/// that. The load average at the start is reported with the figures.
/// </summary>
public sealed class EngineBenchmark : IBenchmark
{
    private const int Suspended = 100_000;
    private const int MeasuredStarts = 20_000;
    private const int ChainRuns = 2_000;
    private const int Workers = 4;
    private const int Cores = 2;

    public string Name => "engine";

    public string Title => "Engine (embedded SQLite): starts, transitions, conditions, memory per suspended instance";

    public async Task<IReadOnlyList<Measurement>> RunAsync(CancellationToken cancellationToken)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "playbooks-bench", Guid.NewGuid().ToString("N"));
        try
        {
            await using var app = await StartEngineAsync(dataPath, cancellationToken);
            var runtime = app.Services.GetRequiredService<InstanceRuntime>();
            var kickoff = await PublishAsync(app, Kickoff, cancellationToken);
            var chain = await PublishAsync(app, Chain(out var chainLength), cancellationToken);
            var accounts = Enumerable.Range(0, 1000).Select(Account).ToArray();

            // Warm up JIT, pools and caches, then take the baseline the suspended instances are measured against.
            await StartManyAsync(runtime, kickoff, accounts, 1_000, Workers, cancellationToken);
            await StartManyAsync(runtime, chain, accounts, 100, Workers, cancellationToken);
            await DrainOutboxAsync(app, cancellationToken);
            var (heapBefore, setBefore) = Memory();
            var waitingBefore = await RunningAsync(app, kickoff.DefinitionId, cancellationToken);

            var load = LoadAverage();
            var (starts, startsCpu) = await Timed(() => StartManyAsync(runtime, kickoff, accounts, MeasuredStarts, Workers, cancellationToken));
            Console.WriteLine($"  {MeasuredStarts:N0} starts in {starts.TotalSeconds:F1} s, {startsCpu.TotalSeconds:F1} s of CPU");
            var rest = await StartManyAsync(runtime, kickoff, accounts, Suspended - MeasuredStarts - waitingBefore, Workers, cancellationToken);
            Console.WriteLine($"  up to {Suspended:N0} waiting in another {rest.TotalSeconds:F1} s");
            var (chainTime, chainCpu) = await Timed(() => StartManyAsync(runtime, chain, accounts, ChainRuns, Workers, cancellationToken));
            Console.WriteLine($"  {ChainRuns:N0} runs of {chainLength} activities in {chainTime.TotalSeconds:F1} s, {chainCpu.TotalSeconds:F1} s of CPU");
            var conditions = Conditions(TimeSpan.FromSeconds(2));

            await DrainOutboxAsync(app, cancellationToken);
            var waiting = await RunningAsync(app, kickoff.DefinitionId, cancellationToken);
            var (heapAfter, setAfter) = Memory();
            var added = waiting - waitingBefore;
            var startsPerSecond = MeasuredStarts / starts.TotalSeconds;
            var startsCapacity = Cores * MeasuredStarts / startsCpu.TotalSeconds;
            var transitionsPerSecond = ChainRuns * chainLength / chainTime.TotalSeconds;
            var transitionsCapacity = Cores * ChainRuns * chainLength / chainCpu.TotalSeconds;
            var heapPerInstance = (heapAfter - heapBefore) / (double)added;
            var setPerInstance = (setAfter - setBefore) / (double)added;

            return
            [
                new("instance starts to the first wait, two idle cores", startsCapacity, "/s", "≥ 2,000/s", startsCapacity >= 2_000,
                    $"{startsCpu.TotalMilliseconds * 1000 / MeasuredStarts:N0} µs of CPU per start. Start → SendNotification → CreateTask → WaitForTask, {MeasuredStarts:N0} starts by {Workers} workers"),
                new("instance starts to the first wait, wall clock here", startsPerSecond, "/s", null, null,
                    $"load average {load} on {Environment.ProcessorCount} cores when measured; the starts on to 100k ran at {(Suspended - MeasuredStarts - waitingBefore) / rest.TotalSeconds:N0}/s"),
                new("activity transitions, two idle cores", transitionsCapacity, "/s", "≥ 10,000/s", transitionsCapacity >= 10_000,
                    $"{chainCpu.TotalMilliseconds * 1000 / (ChainRuns * chainLength):N0} µs of CPU per transition. {chainLength} activities per run (SetVariable and If, then a Delay), {ChainRuns:N0} runs, each activity journaled and announced through the outbox"),
                new("activity transitions, wall clock here", transitionsPerSecond, "/s", null, null, $"same runs, measured while other sessions share the cores"),
                new("condition evaluations", conditions.OneThread, "/s", "≥ 100,000/s", conditions.OneThread >= 100_000,
                    $"`account.healthScore < 60 && vars.noShows >= 2` on one thread with a reused scope; {conditions.TwoThreads:N0}/s on two threads"),
                new("managed heap per suspended instance", heapPerInstance, "bytes", "≤ 2 KB", heapPerInstance <= 2048,
                    $"GC heap after a full collection, {added:N0} more instances waiting ({waiting:N0} in all): {Mb(heapBefore)} → {Mb(heapAfter)} MB"),
                new("working set per suspended instance", setPerInstance, "bytes", "≤ 2 KB", setPerInstance <= 2048,
                    $"process working set, same instances: {Mb(setBefore)} → {Mb(setAfter)} MB (includes SQLite's page caches)"),
            ];
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dataPath, recursive: true); } catch (IOException) { }
        }
    }

    private static Task<WebApplication> StartEngineAsync(string dataPath, CancellationToken cancellationToken) =>
        Playbooks.TestSupport.EngineHost.StartAsync(new Dictionary<string, string?> { ["Playbooks:DataPath"] = dataPath }, cancellationToken: cancellationToken);

    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> Timed(Func<Task<TimeSpan>> run)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        var wall = await run();
        process.Refresh();
        return (wall, process.TotalProcessorTime - before);
    }

    private static (double OneThread, double TwoThreads) Conditions(TimeSpan each)
    {
        var evaluator = new ExpressionEvaluator();
        var condition = CompiledExpression.Compile("account.healthScore < 60 && vars.noShows >= 2");
        double Run(int threads)
        {
            var total = 0L;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
            {
                var scope = new ExpressionScope(new JsonObject { ["healthScore"] = 55, ["segment"] = "enterprise" }, null,
                    new JsonObject { ["noShows"] = 2 }, new JsonObject(), DateTimeOffset.UtcNow);
                for (var i = 0; i < 10_000; i++) evaluator.IsTrue(condition, scope);
                var count = 0L;
                var clock = Stopwatch.StartNew();
                while (clock.Elapsed < each)
                {
                    for (var i = 0; i < 1_000; i++) evaluator.IsTrue(condition, scope);
                    count += 1_000;
                }
                Interlocked.Add(ref total, count);
            });
            return total / each.TotalSeconds;
        }
        return (Run(1), Run(2));
    }

    private static async Task DrainOutboxAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var database = app.Services.GetRequiredService<ServiceDatabase>();
        for (var waited = 0; waited < 600; waited++)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE dead_at IS NULL") == 0) return;
            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<int> RunningAsync(WebApplication app, string definitionId, CancellationToken cancellationToken)
    {
        await using var connection = await app.Services.GetRequiredService<ServiceDatabase>().OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM instances WHERE definition_id = @definitionId AND status = 'running'", new { definitionId });
    }

    private static (long Heap, long WorkingSet) Memory()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024)).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
