using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Playbooks.Messaging.Redis;

/// <summary>One consumer of one group: reads new entries, reclaims stale ones, dead-letters poison ones.</summary>
internal sealed partial class RedisStreamConsumer(
    IConnectionMultiplexer redis, RedisBusOptions options, string group, IReadOnlyCollection<string> eventTypes, EventHandler handler, int accountsAtOnce,
    TimeSpan gatherFor, ILogger logger)
    : IDisposable
{
    private const int MaxAttempts = 5;
    // Entries per read. Most of a read is for other services and skipped unparsed; what is left is handled account by
    // account side by side, so a larger read keeps more accounts going at once (the tasks service's 24 were half idle
    // with reads of 100, at 200 events a second).
    private const int BatchSize = 500;

    private readonly CancellationTokenSource _stopping = new();
    // Unique per process and subscription; kept short for XINFO listings (a short host name and PID must not make it throw).
    private readonly string _consumer = Shorten($"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}", 40);
    private readonly HashSet<string> _types = eventTypes.ToHashSet(StringComparer.Ordinal);
    private Task _loop = Task.CompletedTask;

    public void Start() => _loop = Task.Run(RunAsync);

    public void Dispose()
    {
        _stopping.Cancel();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        // Blocking reads get their own connection so they never stall the shared one. Made in the loop: made before it,
        // a Redis out of reach as the service started ended the loop, and the service never read its group, silently.
        ConnectionMultiplexer? reader = null;
        var lastReclaim = DateTimeOffset.MinValue;
        // The group is made once, and again after a failure (Redis may have restarted without the group): asking on every
        // read cost a refused XGROUP CREATE, and an exception, per read.
        var groupMade = false;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                reader ??= await ConnectionMultiplexer.ConnectAsync(options.Connection.Clone());
                var blocking = reader.GetDatabase();
                if (!groupMade)
                {
                    await EnsureGroupAsync();
                    groupMade = true;
                }
                if (DateTimeOffset.UtcNow - lastReclaim > options.ReclaimAfter / 3)
                {
                    await HandleAsync(await ReclaimAsync(), reclaimed: true);
                    lastReclaim = DateTimeOffset.UtcNow;
                }
                var read = await blocking.ExecuteAsync("XREADGROUP", "GROUP", group, _consumer, "COUNT", BatchSize.ToString(), "BLOCK", "1000", "STREAMS", RedisStreamsEventBus.Stream, ">");
                if (read.IsNull) continue;
                var entries = ((RedisResult[])((RedisResult[])read!)[0]!)[1];
                await HandleAsync(entries, reclaimed: false);
                // A full read means a backlog: the next read goes at once.
                if (gatherFor > TimeSpan.Zero && ((RedisResult[])entries!).Length < BatchSize) await Task.Delay(gatherFor, _stopping.Token);
            }
            catch (Exception error) when (!_stopping.IsCancellationRequested)
            {
                groupMade = false;
                LogReadFailed(logger, group, error);
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
        reader?.Dispose();
    }

    private async Task EnsureGroupAsync()
    {
        try
        {
            // From the stream's start: a service that starts after events were published still gets them.
            await redis.GetDatabase().ExecuteAsync("XGROUP", "CREATE", RedisStreamsEventBus.Stream, group, "0", "MKSTREAM");
        }
        catch (RedisServerException error) when (error.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
        }
    }

    private async Task<RedisResult> ReclaimAsync()
    {
        var claimed = await redis.GetDatabase().ExecuteAsync("XAUTOCLAIM", RedisStreamsEventBus.Stream, group, _consumer,
            ((long)options.ReclaimAfter.TotalMilliseconds).ToString(), "0-0", "COUNT", BatchSize.ToString());
        return ((RedisResult[])claimed!)[1];
    }

    // Entries are acknowledged together at the end of each batch (one XACK), not one round trip each: most entries on
    // the shared stream are for other services and are skipped here. A crash before the XACK redelivers the batch, which
    // is what at-least-once means anyway; handlers drop what they already handled (inbox).
    /// <param name="reclaimed">Whether the entries were reclaimed: only those can have failed before and have attempts counted.</param>
    private async Task HandleAsync(RedisResult entries, bool reclaimed)
    {
        var database = redis.GetDatabase();
        var done = new List<string>();
        try
        {
            var wanted = new List<(string EntryId, EventEnvelope Envelope, string Body, string? Since)>();
            foreach (var entry in (RedisResult[])entries!)
            {
                var parts = (RedisResult[])entry!;
                var entryId = (string)parts[0]!;
                if (parts[1].IsNull) { done.Add(entryId); continue; }
                var fields = ToFields((RedisResult[])parts[1]!);
                // A replayed dead letter is for the one group that gave up on it; the others handled it long ago.
                if (fields.TryGetValue("only", out var only) && (string?)only != group) { done.Add(entryId); continue; }
                // The type rides beside the body (not on a replayed entry), so an unwanted event is skipped unread.
                if (fields.TryGetValue("type", out var type) && !Wants((string)type!)) { done.Add(entryId); continue; }
                var since = fields.TryGetValue("since", out var replayedSince) ? (string?)replayedSince : null;
                if (Read(fields) is not ({ } envelope, { } body))
                {
                    // Written by something other than a relay: it never will be an event. Failing the read for it held the
                    // whole read back in every group, retried for ever, and the stream was never trimmed again.
                    await DeadLetterAsync(database, entryId, Unreadable(fields), since, "Not an event: the entry has no body that reads as one");
                    done.Add(entryId);
                    continue;
                }
                if (!Wants(envelope.Type)) { done.Add(entryId); continue; }
                wanted.Add((entryId, envelope, body, since));
            }
            using var handling = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            var keeping = KeepClaimedAsync(database, wanted.Select(e => e.EntryId).ToList(), done, handling.Token);
            try
            {
                await AccountLanes.RunAsync(wanted, e => e.Envelope.AccountId, async e =>
                {
                    try
                    {
                        await EventTracing.ConsumeAsync(e.Envelope, group, AddedAt(e.EntryId), handler, _stopping.Token);
                        lock (done) done.Add(e.EntryId);
                    }
                    catch (Exception error) when (!_stopping.IsCancellationRequested)
                    {
                        await RecordFailureAsync(database, e.EntryId, e.Body, e.Since, error);
                    }
                }, accountsAtOnce, _stopping.Token);
            }
            finally
            {
                await handling.CancelAsync();
                await keeping;
            }
        }
        finally
        {
            if (done.Count > 0) await AckAsync(database, [.. done]);
            // An entry that failed before and was handled now: its count of attempts goes, or the hash kept one for every
            // entry that ever failed for a moment (a database outage left one per entry in flight).
            if (reclaimed && done.Count > 0) await database.HashDeleteAsync(AttemptsKey, [.. done.Select(id => (RedisValue)id)]);
        }
    }

    private string AttemptsKey => $"{RedisStreamsEventBus.Stream}:attempts:{group}";

    /// <summary>
    /// While a read is being handled, claims its unfinished entries afresh every third of
    /// <see cref="RedisBusOptions.ReclaimAfter"/> (XCLAIM JUSTID resets their idle time), so a read that takes longer (a
    /// slow database, a backlog for one account) is not taken over by another replica and handled twice, out of order,
    /// while this one is still on it.
    /// </summary>
    private async Task KeepClaimedAsync(IDatabase database, List<string> entryIds, List<string> done, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.ReclaimAfter / 3, cancellationToken);
                string[] unfinished;
                lock (done) unfinished = [.. entryIds.Except(done)];
                // One that fails is tried again at the next tick: two thirds of the reclaim time are still left.
                try
                {
                    if (unfinished.Length > 0)
                        await database.ExecuteAsync("XCLAIM", [RedisStreamsEventBus.Stream, group, _consumer, "0", .. unfinished, "JUSTID"]);
                }
                catch (Exception error) when (error is RedisException or TimeoutException) { LogReadFailed(logger, group, error); }
            }
        }
        catch (OperationCanceledException) { }
    }

    private static (EventEnvelope? Envelope, string? Body) Read(Dictionary<string, RedisValue> fields)
    {
        if (!fields.TryGetValue("body", out var value) || value.IsNull) return (null, null);
        var body = (string)value!;
        try
        {
            return JsonSerializer.Deserialize<EventEnvelope>(body, JsonSerializerOptions.Web) is { Type: not null, Id: not null } envelope ? (envelope, body) : (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>An unreadable entry's body as it was, or its fields as JSON if it has none: what the dead letter keeps.</summary>
    private static string Unreadable(Dictionary<string, RedisValue> fields) =>
        fields.TryGetValue("body", out var body) && !body.IsNull ? (string)body! : JsonSerializer.Serialize(fields.ToDictionary(f => f.Key, f => (string?)f.Value));

    private bool Wants(string type) => _types.Contains("*") || _types.Contains(type);

    /// <param name="since">When the event was first on the bus, if this entry is a replay (<see cref="RedisDeadLetters"/>).</param>
    private async Task RecordFailureAsync(IDatabase database, string entryId, string body, string? since, Exception error)
    {
        var attempts = await database.HashIncrementAsync(AttemptsKey, entryId);
        LogHandlerFailed(logger, group, entryId, attempts, error);
        if (attempts < MaxAttempts) return;
        // The dead letter, the acknowledgement and the count go together: a crash between them left the entry pending, to
        // fail once more and be dead-lettered a second time.
        var together = database.CreateTransaction();
        var steps = new[]
        {
            DeadLetterAsync(together, entryId, body, since, error.Message), AckAsync(together, [entryId]),
            together.HashDeleteAsync(AttemptsKey, entryId),
        };
        await together.ExecuteAsync();
        await Task.WhenAll(steps);
    }

    private Task DeadLetterAsync(IDatabaseAsync database, string entryId, string body, string? since, string error) =>
        database.ExecuteAsync("XADD", RedisStreamsEventBus.DeadLetterStream, "*", "group", group, "entry", entryId, "error", error, "body", body,
            "since", since ?? AddedAt(entryId).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static DateTimeOffset AddedAt(string entryId) => RedisStreamsEventBus.AddedAt(entryId) ?? DateTimeOffset.UtcNow;

    private Task AckAsync(IDatabaseAsync database, string[] entryIds) =>
        database.ExecuteAsync("XACK", [RedisStreamsEventBus.Stream, group, .. entryIds]);

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..length];

    // Values stay undecoded until read: most entries are for other services, and their bodies were a tenth of what a
    // replica allocated.
    private static Dictionary<string, RedisValue> ToFields(RedisResult[] flat)
    {
        var fields = new Dictionary<string, RedisValue>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < flat.Length; i += 2) fields[(string)flat[i]!] = (RedisValue)flat[i + 1];
        return fields;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Reading the event stream for {Group} failed; retrying")]
    private static partial void LogReadFailed(ILogger logger, string group, Exception error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Group} failed to handle entry {Entry} (attempt {Attempt})")]
    private static partial void LogHandlerFailed(ILogger logger, string group, string entry, long attempt, Exception error);
}
