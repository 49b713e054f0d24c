using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Playbooks.Engine.Triggers;
using StackExchange.Redis;

namespace Playbooks.Bench.Distributed;

/// <summary>
/// The event path's floor: what the event → task latency would be on this machine if the engine and the tasks service
/// did nothing but the steps the distributed design requires of them, measured through the real gateway with the same
/// sender and feed follower as the real services. It is to the latency goal what the raw ceiling is to durable starts.
/// <para>
/// The bare engine (two processes) stores the event, the run and the run's <c>task.requested</c> in its outbox in one
/// transaction (one fsync), publishes to a Redis stream and clears the outbox in batches. The bare tasks service reads its
/// consumer group, stores the task with its inbox entry and its <c>task.created</c> outbox row in one transaction (one
/// fsync), hands the task to the feed's followers (server-sent events), publishes, and acknowledges each read. No
/// playbook, no scripts, no account, no metrics, no notifications, no traces.
/// </para>
/// Both run as processes of this executable, chosen by <see cref="RoleVariable"/>.
/// </summary>
public static class EventPathFloor
{
    public const string RoleVariable = "PLAYBOOKS_BENCH_FLOOR";
    public const string EngineRole = "engine";
    public const string TasksRole = "tasks";
    public const string DefinitionVariable = "PLAYBOOKS_BENCH_FLOOR_DEFINITION";

    internal const string Stream = "floor:events";

    public const string Schema = """
        CREATE SCHEMA IF NOT EXISTS engine;
        CREATE SCHEMA IF NOT EXISTS tasks;
        CREATE TABLE engine.account_events (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, received_at BIGINT NOT NULL);
        CREATE TABLE engine.instances (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, created_at BIGINT NOT NULL);
        CREATE TABLE engine.outbox (id BIGSERIAL PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL);
        CREATE TABLE tasks.inbox (event_id TEXT PRIMARY KEY);
        CREATE TABLE tasks.tasks (id TEXT PRIMARY KEY, instance_id TEXT NOT NULL UNIQUE, account_id TEXT NOT NULL, title TEXT NOT NULL, created_at BIGINT NOT NULL);
        CREATE TABLE tasks.outbox (id BIGSERIAL PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL);
        """;

    /// <summary>Serves one role until the process is killed.</summary>
    public static async Task<int> ServeAsync(string role)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var app = builder.Build();
        await using var database = NpgsqlDataSource.Create(Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")!);
        var redis = await ConnectionMultiplexer.ConnectAsync(Environment.GetEnvironmentVariable("ConnectionStrings__Redis")!);
        var outbox = new OutboxClearing(database, role == EngineRole ? "engine.outbox" : "tasks.outbox");
        app.MapGet("/health/ready", () => Results.Ok());
        if (role == EngineRole) MapEngine(app, database, redis, outbox);
        else if (role == TasksRole) await MapTasksAsync(app, database, redis, outbox);
        else throw new ArgumentException($"No floor role {role}");
        _ = outbox.RunAsync();
        await app.RunAsync();
        return 0;
    }

    private sealed record Event(string Id, string Type, string AccountId);

    private sealed record TaskRequest(string EventId, string InstanceId, string AccountId);

    private sealed record TaskCreated(string Id, string InstanceId, string AccountId, string Title);

    private static void MapEngine(WebApplication app, NpgsqlDataSource database, IConnectionMultiplexer redis, OutboxClearing outbox)
    {
        var definitionId = Environment.GetEnvironmentVariable(DefinitionVariable)!;
        app.MapPost("/api/engine/events", async (HttpRequest request) =>
        {
            var received = (await JsonSerializer.DeserializeAsync<Event>(request.Body, JsonSerializerOptions.Web))!;
            var instance = DeterministicId.From($"event:{received.Id}", definitionId, received.AccountId);
            var body = JsonSerializer.Serialize(new TaskRequest(received.Id, instance, received.AccountId), JsonSerializerOptions.Web);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await using var batch = database.CreateBatch();
            batch.BatchCommands.Add(Command("INSERT INTO engine.account_events (id, account_id, received_at) VALUES ($1, $2, $3)", received.Id, received.AccountId, now));
            batch.BatchCommands.Add(Command("INSERT INTO engine.instances (id, account_id, created_at) VALUES ($1, $2, $3)", instance, received.AccountId, now));
            batch.BatchCommands.Add(Command("INSERT INTO engine.outbox (type, body) VALUES ('task.requested', $1) RETURNING id", body));
            var outboxId = (long)(await batch.ExecuteScalarAsync())!;
            await PublishAsync(redis, "task.requested", body);
            outbox.Published(outboxId);
            return Results.Accepted();
        });
    }

    private static async Task MapTasksAsync(WebApplication app, NpgsqlDataSource database, IConnectionMultiplexer redis, OutboxClearing outbox)
    {
        var followers = new ConcurrentDictionary<Channel<string>, byte>();
        app.MapGet("/api/tasks", () => Results.Text("""{"items":[]}""", "application/json"));
        app.MapGet("/api/tasks/feed", async (HttpContext context) =>
        {
            var follower = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
            followers.TryAdd(follower, 0);
            try
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync(": following\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await foreach (var task in follower.Reader.ReadAllAsync(context.RequestAborted))
                {
                    await context.Response.WriteAsync($"event: task.created\ndata: {task}\n\n", context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (OperationCanceledException) { }
            finally { followers.TryRemove(follower, out _); }
        });

        await redis.GetDatabase().ExecuteAsync("XGROUP", "CREATE", Stream, "tasks", "0", "MKSTREAM");
        _ = Task.Run(async () =>
        {
            // Blocking reads on a connection of their own, as the services' readers do.
            using var reader = await ConnectionMultiplexer.ConnectAsync(Environment.GetEnvironmentVariable("ConnectionStrings__Redis")!);
            var blocking = reader.GetDatabase();
            while (true)
            {
                try
                {
                    var read = await blocking.ExecuteAsync("XREADGROUP", "GROUP", "tasks", "floor", "COUNT", "500", "BLOCK", "1000", "STREAMS", Stream, ">");
                    if (read.IsNull) continue;
                    var entries = (RedisResult[])((RedisResult[])((RedisResult[])read!)[0]!)[1]!;
                    await Task.WhenAll(entries.Select(async entry =>
                    {
                        var fields = (RedisResult[])((RedisResult[])entry!)[1]!;
                        if ((string?)fields[1] != "task.requested") return;
                        var request = JsonSerializer.Deserialize<TaskRequest>((string)fields[3]!, JsonSerializerOptions.Web)!;
                        var task = new TaskCreated(Guid.NewGuid().ToString("N"), request.InstanceId, request.AccountId, "Follow up");
                        var body = JsonSerializer.Serialize(task, JsonSerializerOptions.Web);
                        await using var batch = database.CreateBatch();
                        batch.BatchCommands.Add(Command("INSERT INTO tasks.inbox (event_id) VALUES ($1) ON CONFLICT DO NOTHING", request.EventId));
                        batch.BatchCommands.Add(Command("INSERT INTO tasks.tasks (id, instance_id, account_id, title, created_at) VALUES ($1, $2, $3, $4, $5)",
                            task.Id, task.InstanceId, task.AccountId, task.Title, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
                        batch.BatchCommands.Add(Command("INSERT INTO tasks.outbox (type, body) VALUES ('task.created', $1) RETURNING id", body));
                        var outboxId = (long)(await batch.ExecuteScalarAsync())!;
                        foreach (var follower in followers.Keys) follower.Writer.TryWrite(body);
                        await PublishAsync(redis, "task.created", body);
                        outbox.Published(outboxId);
                    }));
                    await redis.GetDatabase().ExecuteAsync("XACK", [Stream, "tasks", .. entries.Select(e => (object)(string)((RedisResult[])e!)[0]!)]);
                }
                catch (Exception error)
                {
                    // Logged, and the reader goes on: a floor that stopped reading would show as tasks never seen.
                    Console.Error.WriteLine($"floor tasks: {error.Message}");
                }
            }
        });
    }

    private static Task PublishAsync(IConnectionMultiplexer redis, string type, string body) =>
        redis.GetDatabase().ExecuteAsync("XADD", Stream, "*", "type", type, "body", body);

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    /// <summary>Deletes published outbox rows ten times a second, in one statement without waiting for its fsync, as the relays do.</summary>
    private sealed class OutboxClearing(NpgsqlDataSource database, string table)
    {
        private readonly ConcurrentQueue<long> _published = new();

        public void Published(long id) => _published.Enqueue(id);

        public async Task RunAsync()
        {
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            while (await tick.WaitForNextTickAsync())
            {
                var ids = new List<long>();
                while (_published.TryDequeue(out var id)) ids.Add(id);
                if (ids.Count == 0) continue;
                await using var batch = database.CreateBatch();
                batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
                batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL synchronous_commit = off"));
                batch.BatchCommands.Add(Command($"DELETE FROM {table} WHERE id = ANY($1)", ids.ToArray()));
                batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
                await batch.ExecuteNonQueryAsync();
            }
        }
    }
}
