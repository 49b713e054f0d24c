using static Playbooks.Bench.Engine.EngineWorkload;
using static Playbooks.Bench.MachineLoad;
using Playbooks.ServiceDefaults.Security;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Playbooks.Engine;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Instances;
using Playbooks.Engine.Storage;
using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;
using Playbooks.ServiceDefaults;
using Playbooks.Storage;
using Playbooks.TestSupport.Distributed;

namespace Playbooks.Bench.Distributed;

/// <summary>
/// Distributed mode on this machine: PostgreSQL (fsync on, Debian's defaults otherwise) and Redis started here on free
/// loopback ports. Starts, transitions and timers are driven through an engine host in this process, wired exactly as a
/// distributed replica (PostgreSQL store, Redis Streams bus); the event → task latency goes through the real processes:
/// gateway, two engine replicas, tasks, notifications and metrics, and then, for comparison in the same run, through the
/// same gateway to the bare services of <see cref="EventPathFloor"/>. Wall-clock figures on a shared machine: the load
/// average is reported with them.
/// </summary>
public sealed class DistributedBenchmark : IBenchmark
{
    private const string SigningKey = "benchmark-signing-key-0123456789abcdefghijkl";

    private const int Workers = 32;
    // Long enough (about 10 s) that the JIT's last tier-ups and a few collections are a small part of it: over 5,000
    // starts, engine CPU per start read 550–660 µs in runs whose later windows of 5,000 read 340–390.
    private const int MeasuredStarts = 20_000;
    private const int ChainRuns = 300;
    private const int PendingTimers = 1_000_000;
    private const int TimersPerSecond = 100;
    private static readonly TimeSpan TimerWindow = TimeSpan.FromSeconds(20);
    private const int EventsPerSecond = 200;
    private static readonly TimeSpan EventWindow = TimeSpan.FromSeconds(10);

    public string Name => "distributed";

    public string Title => "Distributed (PostgreSQL with fsync on, Redis Streams, separate processes): durable starts, transitions, event → task, timers";

    public async Task<IReadOnlyList<Measurement>> RunAsync(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "playbooks-bench-distributed", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var postgres = new PostgresServer(folder, fsync: true);
        var redis = new RedisServer(Path.Combine(folder, "redis"));
        var processes = new List<ServiceProcess>();
        try
        {
            await Task.WhenAll(postgres.InitAsync(), redis.StartAsync());
            var connectionString = postgres.ConnectionString("playbooks");
            var results = new List<Measurement>();

            // PLAYBOOKS_BENCH_PARTS=starts,timers,events,floor (any of them) runs only those parts, for working on one;
            // PLAYBOOKS_BENCH_STATEMENTS and PLAYBOOKS_BENCH_WITHOUT (below) look inside the events part.
            var parts = (Environment.GetEnvironmentVariable("PLAYBOOKS_BENCH_PARTS") ?? "starts,timers,events,floor").Split(',', StringSplitOptions.TrimEntries);
            if (parts.Contains("starts") || parts.Contains("timers"))
            {
                await using var app = await StartEngineAsync(connectionString, redis.ConnectionString, cancellationToken);
                var runtime = app.Services.GetRequiredService<InstanceRuntime>();
                var accounts = Enumerable.Range(0, 1000).Select(Account).ToArray();
                await app.Services.GetRequiredService<Playbooks.Engine.Accounts.AccountStore>().UpsertAsync(accounts, "bench", cancellationToken);
                if (parts.Contains("starts")) results.AddRange(await StartsAndTransitionsAsync(app, runtime, accounts, connectionString, postgres, cancellationToken));
                if (parts.Contains("timers"))
                {
                    var timer = await PublishAsync(app, TimerPlaybook, cancellationToken);
                    var (within, late, total, seeded) = await TimersAsync(app, runtime, timer, accounts, cancellationToken);
                    Console.WriteLine($"  {100.0 * within / total:F1} % of timers within ±50 ms");
                    results.Add(new("timers fired within ±50 ms", 100.0 * within / total, "%", "≥ 99 %", within >= 0.99 * total,
                        $"{total:N0} timers due at {TimersPerSecond}/s for {TimerWindow.TotalSeconds:F0} s (after 3 s of warm-up timers) with {seeded:N0} more pending; p99 lateness {late.P99:N0} ms, max {late.Max:N0} ms (fired = the resume's step began; its commit follows); load average {LoadAverage(3)}"));
                }
            }
            if (!parts.Contains("events") && !parts.Contains("floor")) return results;

            // The services start on a PostgreSQL and a Redis of their own: the stream and the tables above hold tens of
            // thousands of events the tasks, notifications and metrics services would first work through, and the first
            // server's vacuum and checkpoints of a million timers would compete with them.
            await postgres.StopAsync();
            // And on a quiet disk: the million timers' pages are still being written back, which made every commit wait.
            await Machine.RunAsync("sync", []);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new("Bearer",
                new TokenIssuer(new AuthOptions(), SigningKey, TimeProvider.System).Issue("bench@playbooks.test", Roles.Admin, lifetime: TimeSpan.FromHours(2)).Token);
            (double P50, double P99)? services = null;
            if (parts.Contains("events"))
            {
                var statements = WindowStatements.FromEnvironment();
                await using var eventsPostgres = new PostgresServer(Path.Combine(folder, "events"), fsync: true, statements is null ? "" : WindowStatements.Settings);
                await using var eventsRedis = new RedisServer(Path.Combine(folder, "redis-events"));
                await Task.WhenAll(eventsPostgres.InitAsync(), eventsRedis.StartAsync());
                processes = StartProcesses(folder, eventsPostgres.ConnectionString("playbooks"), eventsRedis.ConnectionString);
                await Task.WhenAll(processes.Select(p => p.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(90))));
                var gateway = processes[^1].Address;
                await SetUpEventToTaskAsync(http, gateway, cancellationToken);
                // PLAYBOOKS_BENCH_WITHOUT=metrics,notifications (any services) stops those before events are sent, to see
                // what they cost the others: their share of PostgreSQL and Redis shows only as the difference.
                foreach (var name in (Environment.GetEnvironmentVariable("PLAYBOOKS_BENCH_WITHOUT") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    (processes.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"PLAYBOOKS_BENCH_WITHOUT: no service '{name}' (one of {string.Join(", ", processes.Select(p => p.Name))})")).Kill();
                var (p50, p99, seen, sent, loadThen, gentle) = await EventToTaskAsync(http, gateway, eventsPostgres.ConnectionString("playbooks"),
                    (eventsRedis.ConnectionString, Playbooks.Messaging.Redis.RedisStreamsEventBus.Stream), CpuOf(processes, eventsPostgres, eventsRedis), cancellationToken, statements);
                results.Add(new("event → task visible through the gateway, p50", p50, "ms", "≤ 10 ms", p50 <= 10,
                    $"{sent:N0} events at {EventsPerSecond}/s for {EventAccounts:N0} accounts in turn (one POST each, after {EventWarmUp.TotalSeconds:F0} s at that rate) through the gateway to two engine replicas; each task seen on the gateway's task feed (server-sent events, one follower), with the newest {WatchPage} tasks listed every second as a backstop; {seen.Count:N0} seen; load average {loadThen}; p50 of each stage: {seen.Stages}"));
                results.Add(new("event → task visible through the gateway, p99", p99, "ms", "≤ 50 ms", p99 <= 50, "same events"));
                results.Add(new($"event → task at {GentleRate} events/s, p50", gentle.P50, "ms", null, null,
                    $"{gentle.Seen.Count:N0} of {gentle.Sent:N0} events at {GentleRate}/s just before, same set-up, once the services had worked off the warm-up ({gentle.Settled?.TotalSeconds:N0} s until the cores were {1 - QuietShare:P0} idle): the latency when the pipeline keeps up; p99 {gentle.P99:N0} ms; p50 of each stage: {gentle.Seen.Stages}"));
                services = (p50, p99);
                foreach (var process in processes) process.Kill();
                processes.Clear();
            }
            if (parts.Contains("floor")) results.AddRange(await FloorAsync(folder, http, services, cancellationToken));
            return results;
        }
        finally
        {
            foreach (var process in processes) process.Kill();
            NpgsqlConnection.ClearAllPools();
            await redis.DisposeAsync();
            await postgres.DisposeAsync();
            if (s_refusals > 0) Console.WriteLine($"  kept the services' logs for the refused requests: {folder}");
            else if (Environment.GetEnvironmentVariable("PLAYBOOKS_KEEP_BENCH_DATA") != "1")
                try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task<List<Measurement>> StartsAndTransitionsAsync(WebApplication app, InstanceRuntime runtime, AccountSnapshot[] accounts,
        string connectionString, PostgresServer postgres, CancellationToken cancellationToken)
    {
        var results = new List<Measurement>();
        var kickoff = await PublishAsync(app, Kickoff, cancellationToken);
        var chain = await PublishAsync(app, Chain(out var chainLength), cancellationToken);
        var warmUps = await WarmUpAsync(() => StartManyAsync(runtime, kickoff, accounts, 1_000, Workers, cancellationToken));
        await OutboxDrainedAsync(app, cancellationToken);

        var load = LoadAverage(3);
        var raw = await RawStartInserts.MeasureAsync(app, kickoff, accounts[0], connectionString, Workers, cancellationToken);
        Console.WriteLine($"  {MeasuredStarts:N0} starts…");
        var (engineBefore, postgresBefore) = (EngineCpu(), postgres.CpuSeconds());
        var (alloc0, pause0, g0, g1, g2) = (GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var starts = await StartManyAsync(runtime, kickoff, accounts, MeasuredStarts, Workers, cancellationToken);
        Console.WriteLine($"  the engine allocated {(GC.GetTotalAllocatedBytes() - alloc0) / MeasuredStarts:N0} bytes per start; the GC paused it {(GC.GetTotalPauseDuration() - pause0).TotalMilliseconds:N0} ms "
            + $"(collections: gen0 {GC.CollectionCount(0) - g0}, gen1 {GC.CollectionCount(1) - g1}, gen2 {GC.CollectionCount(2) - g2})");
        // A start's CPU includes publishing its events: the relay may still be at it when the last start commits.
        var backlog = await OutboxBacklogAsync(app, cancellationToken);
        await OutboxDrainedAsync(app, cancellationToken);
        var (engineCpu, postgresCpu) = (EngineCpu() - engineBefore, postgres.CpuSeconds() - postgresBefore);
        Console.WriteLine($"  {backlog:N0} events still to publish after the last start");
        var startsCpu = engineCpu + postgresCpu;
        var startsPerSecond = MeasuredStarts / starts.TotalSeconds;
        Console.WriteLine($"  raw ceiling {raw.StartsPerSecond:N0} starts/s ({raw.RowsPerSecond:N0} rows/s); {startsPerSecond:N0} starts/s; "
            + $"CPU per start: engine {engineCpu * 1e6 / MeasuredStarts:N0} µs, PostgreSQL {postgresCpu * 1e6 / MeasuredStarts:N0} µs");
        var cpuBefore = Cpu(postgres);
        var chainTime = await StartManyAsync(runtime, chain, accounts, ChainRuns, Workers, cancellationToken);
        var chainCpu = Cpu(postgres) - cpuBefore;
        var transitions = ChainRuns * chainLength / chainTime.TotalSeconds;
        Console.WriteLine($"  {transitions:N0} transitions/s");
        results.Add(new("durable starts to the first wait", startsPerSecond, "/s", "≥ 1,000/s", startsPerSecond >= 1_000,
            $"load average {load} at the start. Start → SendNotification → CreateTask → WaitForTask, committed in groups of up to 64 starts (state, bookmark, journal, outbox), {Workers} workers, {MeasuredStarts:N0} starts after {warmUps:N0},000 warm-up starts (until the JIT settled)"));
        results.Add(new("durable starts, CPU capacity of two idle cores", Cores * MeasuredStarts / startsCpu, "/s", null, null,
            $"{startsCpu * 1_000_000 / MeasuredStarts:N0} µs of CPU per start (engine {engineCpu * 1_000_000 / MeasuredStarts:N0}, PostgreSQL {postgresCpu * 1_000_000 / MeasuredStarts:N0}; Redis not counted; publishing its events included): what two cores would do if the engine and PostgreSQL had them to themselves"));
        results.Add(new("raw ceiling: a start's rows in plain batched inserts", raw.StartsPerSecond, "starts/s", null, null,
            $"same database and run: the {raw.RowsPerStart} rows a start of the same playbook writes (instance, bookmark, journal, outbox), for {RawStartInserts.Batch} starts per INSERT (one per table) and commit, {Workers} connections, into copies of the engine's tables with their keys and indexes: {raw.RowsPerSecond:N0} rows/s"));
        results.Add(new("durable starts ÷ raw ceiling", 100 * startsPerSecond / raw.StartsPerSecond, "%", "≥ 50 %", startsPerSecond / raw.StartsPerSecond >= 0.5,
            "what the engine keeps of what the database could take with no engine in the way"));
        results.Add(new("activity transitions, CPU capacity of two idle cores", Cores * ChainRuns * chainLength / chainCpu, "/s", null, null,
            $"{chainCpu * 1_000_000 / (ChainRuns * chainLength):N0} µs of CPU per transition, engine and PostgreSQL together"));
        results.Add(new("activity transitions", transitions, "/s", "≥ 5,000/s", transitions >= 5_000,
            $"{chainLength} activities per run (SetVariable and If, then a Delay), {ChainRuns} runs by {Workers} workers, one commit per run, each activity journaled and announced through the outbox"));
        return results;
    }

    /// <summary>
    /// Rounds of warm-up until the JIT has settled (under 1 % of a round's time compiling): tiered compilation goes on
    /// recompiling hot methods for a while after start-up (measured at 18 % of the engine's CPU after 3,000 starts), which
    /// a replica that has been running for minutes no longer pays. Pools and caches fill on the way.
    /// </summary>
    private static async Task<int> WarmUpAsync(Func<Task> round)
    {
        const int maxRounds = 15;
        for (var rounds = 1; rounds <= maxRounds; rounds++)
        {
            var compiling = System.Runtime.JitInfo.GetCompilationTime();
            var clock = Stopwatch.StartNew();
            await round();
            if (System.Runtime.JitInfo.GetCompilationTime() - compiling < clock.Elapsed * 0.01) return rounds;
        }
        return maxRounds;
    }

    private static async Task<long> OutboxBacklogAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await using var connection = await app.Services.GetRequiredService<ServiceDatabase>().OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox");
    }

    // The relay publishes the warm-up's events before anything is measured, so it does not compete with the raw ceiling.
    private static async Task OutboxDrainedAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await using var connection = await app.Services.GetRequiredService<ServiceDatabase>().OpenAsync(cancellationToken);
        for (var waited = 0; waited < 600 && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox") > 0; waited++)
            await Task.Delay(100, cancellationToken);
    }

    // An engine host in this process, wired exactly as a distributed replica.
    private static Task<WebApplication> StartEngineAsync(string postgres, string redis, CancellationToken cancellationToken) =>
        Playbooks.TestSupport.EngineHost.StartAsync(new Dictionary<string, string?>
        {
            ["Playbooks:Mode"] = "Distributed",
            ["ConnectionStrings:Postgres"] = postgres,
            ["ConnectionStrings:Redis"] = redis,
            ["Playbooks:Auth:SigningKey"] = SigningKey,
            ["Engine:WorkflowsPath"] = Path.Combine(Path.GetTempPath(), "playbooks-bench-no-workflows"),
        }, cancellationToken: cancellationToken);

    /// <summary>
    /// 1,000,000 timers pending far ahead (bookmark rows, as waiting runs leave them), then runs started at 100/s that each
    /// wait 3 s: how late each fires is its resume's journal time minus its due time.
    /// </summary>
    private static async Task<(int Within, (double P99, double Max) Late, int Total, int Seeded)> TimersAsync(
        WebApplication app, InstanceRuntime runtime, CompiledPlaybook playbook, AccountSnapshot[] accounts, CancellationToken cancellationToken)
    {
        var database = app.Services.GetRequiredService<ServiceDatabase>();
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            var farAhead = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeMilliseconds();
            await connection.ExecuteAsync(
                $"""
                INSERT INTO bookmarks (id, instance_id, activity_id, kind, key, due_at)
                SELECT 'seed-' || n, 'seed-instance-' || n, 'pause', 'timer', 'timer', @farAhead + n FROM generate_series(1, {PendingTimers}) AS n
                """, new { farAhead }, commandTimeout: 600);
            await connection.ExecuteAsync("ANALYZE bookmarks", commandTimeout: 600);
            // Seeding is set-up: its writes are flushed now, not by a checkpoint that would stall commits in the window.
            await connection.ExecuteAsync("CHECKPOINT", commandTimeout: 600, commandType: System.Data.CommandType.Text);
        }
        // Warm-up: the resume path is compiled and its caches filled by timers that are not counted.
        await StartTimersAsync(database, runtime, playbook, accounts, TimersPerSecond * 3, cancellationToken);
        var from = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var total = (int)(TimersPerSecond * TimerWindow.TotalSeconds);
        await StartTimersAsync(database, runtime, playbook, accounts, total, cancellationToken);
        await using var read = await database.OpenAsync(cancellationToken);
        // The run ends in the same step as its timer fires (Delay → End), so its end time is when the timer fired.
        var lateness = (await read.QueryAsync<long>(
            "SELECT ended_at - (created_at + 3000) FROM instances WHERE definition_id = @id AND ended_at IS NOT NULL AND created_at >= @from",
            new { id = playbook.DefinitionId, from })).Select(l => (double)l).Order().ToList();
        var within = lateness.Count(l => Math.Abs(l) <= 50);
        return (within, (Percentile(lateness, 0.99), lateness.Count == 0 ? 0 : lateness[^1]), Math.Max(total, lateness.Count), PendingTimers);
    }

    /// <summary>Starts <paramref name="count"/> timer runs at a steady <see cref="TimersPerSecond"/> and waits until none is running.</summary>
    private static async Task StartTimersAsync(ServiceDatabase database, InstanceRuntime runtime, CompiledPlaybook playbook, AccountSnapshot[] accounts, int count,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var started = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / (double)TimersPerSecond);
            // Read once: read twice, the clock could pass the due time in between and make the wait negative.
            if (due - clock.Elapsed is { Ticks: > 0 } wait) await Task.Delay(wait, cancellationToken);
            started.Add(runtime.StartAsync(playbook, accounts[i % accounts.Length], null, null, null, cancellationToken));
        }
        await Task.WhenAll(started);
        await using var read = await database.OpenAsync(cancellationToken);
        for (var waited = 0; waited < 600; waited++)
        {
            var running = await read.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM instances WHERE definition_id = @id AND status = 'running'", new { id = playbook.DefinitionId });
            if (running == 0) break;
            await Task.Delay(100, cancellationToken);
        }
    }

    private static List<ServiceProcess> StartProcesses(string folder, string postgres, string redis)
    {
        var environment = ServiceEnvironment(folder, postgres, redis);
        var engine = Dll("services/Engine/Host", "Playbooks.Engine.Host.dll");
        var engines = new[] { new ServiceProcess("engine-a", engine, Machine.FreePort(), environment, folder), new ServiceProcess("engine-b", engine, Machine.FreePort(), environment, folder) };
        var tasks = new ServiceProcess("tasks", Dll("services/Tasks/Host", "Playbooks.Tasks.Host.dll"), Machine.FreePort(), environment, folder);
        var notifications = new ServiceProcess("notifications", Dll("services/Notifications/Host", "Playbooks.Notifications.Host.dll"), Machine.FreePort(), environment, folder);
        var metrics = new ServiceProcess("metrics", Dll("services/Metrics/Host", "Playbooks.Metrics.Host.dll"), Machine.FreePort(), environment, folder);
        List<ServiceProcess> all = [.. engines, tasks, notifications, metrics, Gateway(folder, environment, engines, tasks, notifications, metrics)];
        foreach (var process in all) process.Start();
        return all;
    }

    private static Dictionary<string, string> ServiceEnvironment(string folder, string postgres, string redis) => new()
    {
        ["Playbooks__Mode"] = "Distributed",
        ["ConnectionStrings__Postgres"] = postgres,
        ["ConnectionStrings__Redis"] = redis,
        ["Playbooks__Auth__SigningKey"] = SigningKey,
        ["Engine__WorkflowsPath"] = Path.Combine(folder, "no-workflows"),
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>The real gateway, last in every list of processes here, in front of the given engines, tasks, notifications and metrics.</summary>
    private static ServiceProcess Gateway(string folder, Dictionary<string, string> environment, ServiceProcess[] engines, ServiceProcess tasks,
        ServiceProcess notifications, ServiceProcess metrics) =>
        new("gateway", Dll("gateway/Host", "Playbooks.Gateway.Host.dll"), Machine.FreePort(),
            new Dictionary<string, string>(environment)
            {
                ["Playbooks__Services__engine"] = string.Join(',', engines.Select(e => e.Address.ToString().TrimEnd('/'))),
                ["Playbooks__Services__tasks"] = tasks.Address.ToString().TrimEnd('/'),
                ["Playbooks__Services__notifications"] = notifications.Address.ToString().TrimEnd('/'),
                ["Playbooks__Services__metrics"] = metrics.Address.ToString().TrimEnd('/'),
            }, folder);

    /// <summary>
    /// The same sender, follower and windows against the bare engine and tasks service of <see cref="EventPathFloor"/>,
    /// behind the real gateway, on a PostgreSQL (fsync on) and a Redis of their own started after the services' are gone.
    /// </summary>
    private static async Task<List<Measurement>> FloorAsync(string folder, HttpClient http, (double P50, double P99)? services, CancellationToken cancellationToken)
    {
        await using var postgres = new PostgresServer(Path.Combine(folder, "floor"), fsync: true);
        await using var redis = new RedisServer(Path.Combine(folder, "redis-floor"));
        await Task.WhenAll(postgres.InitAsync(), redis.StartAsync());
        var connectionString = postgres.ConnectionString("playbooks");
        await using (var connection = new NpgsqlConnection(connectionString)) await connection.ExecuteAsync(EventPathFloor.Schema);
        var environment = ServiceEnvironment(folder, connectionString, redis.ConnectionString);
        ServiceProcess Bare(string name, string role) => new(name, typeof(EventPathFloor).Assembly.Location, Machine.FreePort(),
            new Dictionary<string, string>(environment) { [EventPathFloor.RoleVariable] = role, [EventPathFloor.DefinitionVariable] = EventDefinitionId }, folder);
        var engines = new[] { Bare("floor-engine-a", EventPathFloor.EngineRole), Bare("floor-engine-b", EventPathFloor.EngineRole) };
        var tasks = Bare("floor-tasks", EventPathFloor.TasksRole);
        List<ServiceProcess> processes = [.. engines, tasks, Gateway(folder, environment, engines, tasks, tasks, tasks)];
        try
        {
            foreach (var process in processes) process.Start();
            await Task.WhenAll(processes.Select(p => p.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(90))));
            Console.WriteLine("  the floor: the same events through the gateway to a bare engine and tasks service…");
            var (p50, p99, seen, sent, load, gentle) = await EventToTaskAsync(http, processes[^1].Address, connectionString, (redis.ConnectionString, EventPathFloor.Stream), CpuOf(processes, postgres, redis), cancellationToken);
            string Against(double floor, double? measured) => measured is { } m && floor > 0 ? $"; the services took {m / floor:N1} times as long" : "";
            return
            [
                new("event → task floor at 200 events/s, p50", p50, "ms", null, null,
                    $"{sent:N0} events as above, through the same gateway, to two bare engine processes and a bare tasks service that do only what the design requires (the event, the run and its outbox row in one commit; Redis Streams; the task, its inbox entry and outbox row in one commit; the feed): what this machine allows before any playbook runs; {seen.Count:N0} seen; load average {load}; p50 of each stage: {seen.Stages}{Against(p50, services?.P50)}"),
                new("event → task floor at 200 events/s, p99", p99, "ms", null, null, $"same events{Against(p99, services?.P99)}"),
                new($"event → task floor at {GentleRate} events/s, p50", gentle.P50, "ms", null, null,
                    $"{gentle.Seen.Count:N0} of {gentle.Sent:N0} events; p99 {gentle.P99:N0} ms; p50 of each stage: {gentle.Seen.Stages}"),
            ];
        }
        finally
        {
            foreach (var process in processes) process.Kill();
        }
    }

    // Requests the services refused: the run's folder, with their logs, is then kept.
    private static int s_refusals;

    // The rate of the run just before the measured one: the latency when the pipeline keeps up.
    private const int GentleRate = 20;

    private const int EventAccounts = 1_000;

    // Tasks in the backstop's usual look.
    private const int WatchPage = 50;

    // At the measured rate before measuring: the services' hot paths are compiled by then, as in a service running for
    // hours (after 5 s, tiered compilation still took 9 % of the machine in the measured window; after 15 s, 1 %).
    private static readonly TimeSpan EventWarmUp = TimeSpan.FromSeconds(15);

    // The share of the two cores busy below which the services count as idle (idle, they keep about a tenth busy).
    private const double QuietShare = 0.2;

    private const string EventDefinitionId = "bench-event-task";

    /// <summary>CPU seconds used so far by each process (or group of processes) an event passes.</summary>
    private delegate Dictionary<string, double> CpuByProcess();

    private static CpuByProcess CpuOf(IEnumerable<ServiceProcess> processes, PostgresServer postgres, RedisServer redis) => () =>
    {
        // Replicas count together, under the name without the replica's letter.
        var cpu = processes.GroupBy(p => p.Name.EndsWith("-a") || p.Name.EndsWith("-b") ? p.Name[..^2] : p.Name).ToDictionary(g => g.Key, g => g.Sum(p => p.CpuSeconds()));
        cpu["PostgreSQL"] = postgres.CpuSeconds();
        cpu["Redis"] = redis.CpuSeconds();
        return cpu;
    };

    // A book of accounts each sending an event now and then, as a CS organisation at 200 events/s has, rather than a few
    // accounts each sending several a second: one account's events are handled one after another, and each start counts
    // the account's running runs of the playbook.
    private static readonly List<string> EventAccountIds = [.. Enumerable.Range(0, EventAccounts).Select(i => $"evt-{i}")];

    /// <summary>The playbook each event starts (its first step creates a task) and the accounts the events name.</summary>
    private static async Task SetUpEventToTaskAsync(HttpClient http, Uri gateway, CancellationToken cancellationToken)
    {
        var definition = new JsonObject
        {
            ["definitionId"] = EventDefinitionId, ["name"] = "Event to task",
            ["enrolment"] = new JsonObject { ["maxActivePerAccount"] = 1_000_000 },
            ["triggers"] = new JsonArray(new JsonObject { ["kind"] = "event", ["eventType"] = "bench.signal" }),
            ["activities"] = new JsonArray(
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject { ["id"] = "task", ["type"] = "CreateTask", ["inputs"] = new JsonObject { ["title"] = "Follow up {{ account.name }}" } },
                new JsonObject { ["id"] = "wait", ["type"] = "WaitForTask", ["inputs"] = new JsonObject { ["task"] = "task" } }),
            ["connections"] = new JsonArray(
                new JsonObject { ["from"] = "start", ["to"] = "task" }, new JsonObject { ["from"] = "task", ["to"] = "wait" }),
        };
        (await http.PostAsync(new Uri(gateway, "/api/engine/definitions"), Json(definition), cancellationToken)).EnsureSuccessStatusCode();
        (await http.PostAsync(new Uri(gateway, $"/api/engine/definitions/{EventDefinitionId}/publish"), Json(new JsonObject()), cancellationToken)).EnsureSuccessStatusCode();
        var csv = "id,name,ownerCsm,timeZone\n" + string.Concat(EventAccountIds.Select(a => $"{a},Customer {a},aiko@playbooks.example,UTC\n"));
        (await http.PostAsync(new Uri(gateway, "/api/engine/accounts/import"), new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"), cancellationToken))
            .EnsureSuccessStatusCode();
    }

    /// <summary>One event per POST: a warm-up, a gentle run, then the measured window at 200/s, each task followed on the gateway's task feed.</summary>
    private static async Task<(double P50, double P99, Watched Seen, int Sent, string Load, (double P50, double P99, Watched Seen, int Sent, TimeSpan? Settled) Gentle)> EventToTaskAsync(
        HttpClient http, Uri gateway, string postgres, (string Server, string Stream) redis, CpuByProcess cpu, CancellationToken cancellationToken,
        WindowStatements? statements = null)
    {
        var definitionId = EventDefinitionId;
        var accounts = EventAccountIds;
        // Warm-up, then the measured window.
        Console.WriteLine($"  event → task: warm-up at {GentleRate}/s, then {EventWarmUp.TotalSeconds:F0} s at {EventsPerSecond}/s…");
        await SendAndWatchAsync(http, gateway, definitionId, accounts, 100, "warm", GentleRate, cpu, cancellationToken);
        await SendAndWatchAsync(http, gateway, definitionId, accounts, (int)(EventsPerSecond * EventWarmUp.TotalSeconds), "warm-full", EventsPerSecond, cpu, cancellationToken);
        // The tasks are listed before every service is done with the burst (metrics folds, relays, vacuum): the gentle
        // run measures the pipeline with nothing else to do, and the measured one starts from there too.
        var settled = await QuietAsync(QuietShare, TimeSpan.FromSeconds(90), cancellationToken);
        Console.WriteLine($"  {GentleRate} events/s after {settled?.TotalSeconds:N0} s until quiet…");
        if (statements is not null) await statements.StartAsync(postgres);
        var gentleSent = await SendAndWatchAsync(http, gateway, definitionId, accounts, (int)(GentleRate * EventWindow.TotalSeconds), "gentle", GentleRate, cpu, cancellationToken);
        if (statements is not null) await statements.WriteAsync(postgres, gentleSent.Events.Count, gentle: true);
        var gentle = await WatchedAsync(postgres, redis, gentleSent);
        var quietAgain = await QuietAsync(QuietShare, TimeSpan.FromSeconds(90), cancellationToken);
        Console.WriteLine($"  {EventsPerSecond} events/s after {quietAgain?.TotalSeconds:N0} s until quiet…");
        var load = LoadAverage(3);
        if (statements is not null) await statements.StartAsync(postgres);
        var sent = await SendAndWatchAsync(http, gateway, definitionId, accounts, (int)(EventsPerSecond * EventWindow.TotalSeconds), "run", EventsPerSecond, cpu, cancellationToken);
        if (statements is not null) await statements.WriteAsync(postgres, sent.Events.Count);
        var seen = await WatchedAsync(postgres, redis, sent);
        return (Percentile(seen.Latencies, 0.5), Percentile(seen.Latencies, 0.99), seen, sent.Events.Count, load,
            (Percentile(gentle.Latencies, 0.5), Percentile(gentle.Latencies, 0.99), gentle, (int)(GentleRate * EventWindow.TotalSeconds), settled));
    }

    /// <summary>One event as the benchmark sent it: its id, the run it starts, when it was posted (Unix ms) and how long until its task was listed.</summary>
    private sealed record SentEvent(string EventId, string InstanceId, long PostedAt, double? Latency);

    /// <summary>The events sent, how long each backstop listing took (ms), and how many tasks the feed brought first.</summary>
    /// <param name="CpuPerEvent">CPU milliseconds the services, PostgreSQL and Redis spent per event, from the first event sent until the last task seen.</param>
    /// <param name="CpuByProcess">The same, per process (ms per event), largest first.</param>
    private sealed record Sent(List<SentEvent> Events, List<double> Looks, int RefusedLooks, int SeenByFeed, double? CpuPerEvent, string CpuByProcess);

    /// <summary>The latencies of the events whose tasks were seen, sorted, and where the time went (<see cref="StagesAsync"/>).</summary>
    private sealed record Watched(List<double> Latencies, string Stages)
    {
        public int Count => Latencies.Count;
    }

    private static async Task<Watched> WatchedAsync(string postgres, (string Server, string Stream) redis, Sent sent) =>
        new([.. sent.Events.Where(e => e.Latency is not null).Select(e => e.Latency!.Value).Order()],
            await StagesAsync(postgres, redis, sent.Events) + $"; {sent.SeenByFeed:N0} seen first on the feed; a backstop listing took {Percentile([.. sent.Looks.Order()], 0.5):N0} ms (p50 of {sent.Looks.Count:N0})"
            + (sent.RefusedLooks > 0 ? $", {sent.RefusedLooks:N0} listings refused" : "")
            + (sent.CpuPerEvent is { } cpu ? $"; the services, PostgreSQL and Redis used {cpu:N1} ms of CPU per event (the machine's busy time less the benchmark's own, from the first event sent to the last task seen): {sent.CpuByProcess}" : ""));

    /// <summary>
    /// The p50 of each stage an event passes, from the times the services recorded (one machine clock): the gateway and
    /// engine storing it, the engine starting its run, the run's task request reaching the stream (its entry id is the
    /// time Redis added it), the tasks service creating the task, and the feed bringing it.
    /// </summary>
    private static async Task<string> StagesAsync(string postgres, (string Server, string Stream) redis, List<SentEvent> sent)
    {
        var published = await TaskRequestsPublishedAsync(redis, sent.Min(e => e.PostedAt));
        await using var connection = new NpgsqlConnection(postgres);
        var received = (await connection.QueryAsync<(string Id, long At)>("SELECT id, received_at FROM engine.account_events WHERE id = ANY(@ids)",
            new { ids = sent.Select(e => e.EventId).ToArray() })).ToDictionary(r => r.Id, r => r.At);
        var started = (await connection.QueryAsync<(string Id, long At)>("SELECT id, created_at FROM engine.instances WHERE id = ANY(@ids)",
            new { ids = sent.Select(e => e.InstanceId).ToArray() })).ToDictionary(r => r.Id, r => r.At);
        var created = (await connection.QueryAsync<(string Id, long At)>("SELECT instance_id, created_at FROM tasks.tasks WHERE instance_id = ANY(@ids)",
            new { ids = sent.Select(e => e.InstanceId).ToArray() })).ToDictionary(r => r.Id, r => r.At);
        var complete = sent.Where(e => e.Latency is not null && received.ContainsKey(e.EventId) && started.ContainsKey(e.InstanceId) && created.ContainsKey(e.InstanceId)).ToList();
        string Stage(string name, Func<SentEvent, double> took) => $"{name} {Percentile([.. complete.Select(took).Order()], 0.5):N0} ms";
        // What each stage kept up with: the events over the time from the first POST to the last run started, or task
        // created. Below the rate sent, that stage is where the backlog grew.
        string Pace(Func<SentEvent, long> at) => complete.Count < 2 ? "-" :
            $"{complete.Count / ((complete.Max(at) - complete.Min(e => e.PostedAt)) / 1000.0):N0}/s";
        // The request's trip to the stream splits the run's start from its task's creation where the stream shows it.
        string[] toTask = complete.All(e => published.ContainsKey(e.InstanceId))
            ? [Stage("task requested on the stream", e => published[e.InstanceId] - started[e.InstanceId]), Stage("task created", e => created[e.InstanceId] - published[e.InstanceId])]
            : [Stage("task created", e => created[e.InstanceId] - started[e.InstanceId])];
        return string.Join(", ",
            [Stage("stored", e => received[e.EventId] - e.PostedAt),
            Stage("run started", e => started[e.InstanceId] - received[e.EventId]),
            .. toTask,
            Stage("seen", e => e.PostedAt + e.Latency!.Value - created[e.InstanceId])])
            + $"; runs started at {Pace(e => started[e.InstanceId])}, tasks created at {Pace(e => created[e.InstanceId])}";
    }

    /// <summary>When each run's task.requested was added to the stream (Unix ms, from its entry id), for entries added since <paramref name="since"/>.</summary>
    private static async Task<Dictionary<string, long>> TaskRequestsPublishedAsync((string Server, string Stream) redis, long since)
    {
        using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Server);
        var entries = (StackExchange.Redis.RedisResult[])(await connection.GetDatabase().ExecuteAsync("XRANGE", redis.Stream, since.ToString(), "+"))!;
        var published = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var parts = (StackExchange.Redis.RedisResult[])entry!;
            var fields = (StackExchange.Redis.RedisResult[])parts[1]!;
            var named = Enumerable.Range(0, fields.Length / 2).ToDictionary(i => (string)fields[2 * i]!, i => (string?)fields[2 * i + 1]);
            if (named.GetValueOrDefault("type") != EventTypes.TaskRequested || named.GetValueOrDefault("body") is not { } body) continue;
            // The services' envelope carries the request in its data; the floor's body is the request itself.
            var request = JsonNode.Parse(body);
            if ((request?["data"] ?? request)?["instanceId"]?.GetValue<string>() is { } instanceId)
                published.TryAdd(instanceId, long.Parse(((string)parts[0]!).Split('-')[0]));
        }
        return published;
    }

    /// <summary>
    /// Sends the events at a steady rate (one POST each, through the gateway) while following the gateway's task feed, as a
    /// CSM's live inbox does; an event's latency is from just before its POST to its task's arrival on the feed (or, for a
    /// task the feed did not bring, the first backstop listing that shows it).
    /// </summary>
    private static async Task<Sent> SendAndWatchAsync(HttpClient http, Uri gateway, string definitionId, List<string> accounts, int count, string prefix,
        int perSecond, CpuByProcess cpu, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var sentAt = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        var seenAt = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        var looks = new List<double>();
        var refusedLooks = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = Task.Run(async () =>
        {
            var look = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    // The backstop for a task the feed did not bring (it is best effort): the newest tasks, and further
                    // pages only while a page is all new, every second. Every tenth look goes 600 deep, for a task that
                    // committed after more than 50 newer ones (it is then seen late, never missed).
                    var deep = ++look % 10 == 0;
                    var size = deep ? 200 : WatchPage;
                    for (var number = 1; number <= 20; number++)
                    {
                        var asked = clock.Elapsed.TotalMilliseconds;
                        using var response = await http.GetAsync(new Uri(gateway, $"/api/tasks?sort=-created&pageSize={size}&page={number}"), stop.Token);
                        var at = clock.Elapsed.TotalMilliseconds;
                        if (!response.IsSuccessStatusCode)
                        {
                            // A refused listing is not a look: counted apart, and the first one shown.
                            Interlocked.Increment(ref s_refusals);
                            if (Interlocked.Increment(ref refusedLooks) == 1)
                                Console.WriteLine($"  a listing was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(stop.Token)}");
                            break;
                        }
                        looks.Add(at - asked);
                        var items = JsonNode.Parse(await response.Content.ReadAsStringAsync(stop.Token))!["items"]!.AsArray();
                        var fresh = items.Count(item => seenAt.TryAdd(item!["instanceId"]!.GetValue<string>(), at));
                        if (items.Count < size || (deep ? number >= 3 : fresh < items.Count)) break;
                    }
                    await Task.Delay(1000, stop.Token);
                }
                catch (OperationCanceledException) { }
            }
        }, cancellationToken);

        // The feed is followed before the first event goes, so every task it announces is heard.
        var feed = await http.GetAsync(new Uri(gateway, "/api/tasks/feed"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        feed.EnsureSuccessStatusCode();
        var seenByFeed = 0;
        var follower = Task.Run(async () =>
        {
            using var reader = new StreamReader(await feed.Content.ReadAsStreamAsync(stop.Token));
            var type = "";
            try
            {
                while (await reader.ReadLineAsync(stop.Token) is { } line)
                {
                    if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line["event: ".Length..];
                    else if (type == "task.created" && line.StartsWith("data: ", StringComparison.Ordinal)
                        && seenAt.TryAdd(JsonNode.Parse(line["data: ".Length..])!["instanceId"]!.GetValue<string>(), clock.Elapsed.TotalMilliseconds))
                        Interlocked.Increment(ref seenByFeed);
                }
            }
            catch (OperationCanceledException) { }
        }, cancellationToken);

        var busyBefore = MachineLoad.OthersBusy();
        var cpuBefore = cpu();
        var posts = new List<Task<HttpResponseMessage>>();
        var instances = new List<string>();
        var events = new List<(string Id, long PostedAt)>();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / (double)perSecond);
            // Read once: read twice, the clock could pass the due time in between and make the wait negative.
            if (due - clock.Elapsed is { Ticks: > 0 } wait) await Task.Delay(wait, cancellationToken);
            var id = $"{prefix}-{i}-{Guid.NewGuid():N}";
            var account = accounts[i % accounts.Count];
            var instance = Playbooks.Engine.Triggers.DeterministicId.From($"event:{id}", definitionId, account);
            instances.Add(instance);
            sentAt[instance] = clock.Elapsed.TotalMilliseconds;
            events.Add((id, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            posts.Add(http.PostAsync(new Uri(gateway, "/api/engine/events"),
                Json(new JsonObject { ["id"] = id, ["type"] = "bench.signal", ["accountId"] = account }), cancellationToken));
        }
        var responses = await Task.WhenAll(posts);
        if (responses.FirstOrDefault(r => !r.IsSuccessStatusCode) is { } refused)
        {
            Interlocked.Increment(ref s_refusals);
            Console.WriteLine($"  an event was refused: {(int)refused.StatusCode} {await refused.Content.ReadAsStringAsync(cancellationToken)}");
        }
        var until = clock.Elapsed + TimeSpan.FromSeconds(30);
        while (clock.Elapsed < until && instances.Any(i => !seenAt.ContainsKey(i))) await Task.Delay(50, cancellationToken);
        var cpuPerEvent = MachineLoad.OthersBusy() - busyBefore is { } busy ? busy.TotalMilliseconds / count : (double?)null;
        var cpuAfter = cpu();
        var cpuByProcess = string.Join(", ", cpuAfter.Select(p => (p.Key, Ms: (p.Value - cpuBefore.GetValueOrDefault(p.Key)) * 1000 / count))
            .OrderByDescending(p => p.Ms).Select(p => $"{p.Key} {p.Ms:N2}"));
        await stop.CancelAsync();
        await Task.WhenAll(watcher, follower);
        feed.Dispose();
        if (seenAt.IsEmpty)
        {
            using var listing = await http.GetAsync(new Uri(gateway, "/api/tasks?sort=-created&pageSize=2"), cancellationToken);
            using var runs = await http.GetAsync(new Uri(gateway, $"/api/engine/instances?definitionId={definitionId}&take=2"), cancellationToken);
            Console.WriteLine($"  no task seen: tasks {(int)listing.StatusCode} {await listing.Content.ReadAsStringAsync(cancellationToken)}; runs {(int)runs.StatusCode} {await runs.Content.ReadAsStringAsync(cancellationToken)}");
        }
        return new(instances.Select((i, n) => new SentEvent(events[n].Id, i, events[n].PostedAt, seenAt.TryGetValue(i, out var seen) ? seen - sentAt[i] : null)).ToList(), looks, refusedLooks, seenByFeed, cpuPerEvent, cpuByProcess);
    }

    private const int Cores = 2;

    // CPU seconds of this process (the engine host, its relay and timers) and of the PostgreSQL server.
    private static double Cpu(PostgresServer postgres) => EngineCpu() + postgres.CpuSeconds();

    private static double EngineCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>A host's assembly as the Release build leaves it in the repository.</summary>
    private static string Dll(string project, string assembly) => Path.Combine(FindRepositoryRoot(), project, "bin", "Release", "net10.0", assembly);

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Playbooks.sln"))) directory = directory.Parent;
        return directory?.FullName ?? Directory.GetCurrentDirectory();
    }

    private static PlaybookDefinition TimerPlaybook => EngineJson.Deserialize<PlaybookDefinition>("""
        {
          "definitionId": "bench-timer", "name": "Timer",
          "enrolment": { "maxActivePerAccount": 1000000 },
          "activities": [ { "id": "start", "type": "Start" }, { "id": "pause", "type": "Delay", "inputs": { "duration": "PT3S" } }, { "id": "done", "type": "End" } ],
          "connections": [ { "from": "start", "to": "pause" }, { "from": "pause", "to": "done" } ]
        }
        """);
}
