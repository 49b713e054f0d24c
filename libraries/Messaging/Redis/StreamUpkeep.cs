using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Playbooks.Messaging.Redis;

/// <summary>
/// Keeps the event stream bounded without losing anything: an entry goes only once every consumer group has read and
/// acknowledged it, and it has been kept <see cref="RedisBusOptions.KeepAcknowledged"/> for whoever inspects the stream.
/// A capped XADD would instead trim by count, entries a group that was down or far behind had not read yet. It also
/// removes consumers (stopped or dead processes) that have had nothing pending for an hour. Every replica runs it; both
/// steps are safe to repeat and to run side by side. The suite's groups are made here if their service has not started
/// yet, so its events wait for it.
/// </summary>
internal sealed partial class StreamUpkeep(IConnectionMultiplexer redis, RedisBusOptions options, ILogger<StreamUpkeep> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(30);
    // A group this far behind is worth a warning: its entries stay in Redis's memory until it reads them.
    private const long FarBehind = 1_000_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TrimAsync(redis.GetDatabase(), options.KeepAcknowledged, options.ForgetIdleConsumersAfter, RedisStreamsEventBus.ServiceGroups, logger);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                LogUpkeepFailed(logger, error);
            }
            try { await Task.Delay(Every, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>
    /// Trims what every group has acknowledged and is older than <paramref name="keep"/>; returns the entries removed.
    /// Deletes consumers silent for longer than <paramref name="forgetIdleAfter"/> with nothing pending.
    /// A group in <paramref name="expected"/> that does not exist yet (its service has not started) is made first, reading
    /// from the start, so nothing is trimmed before it has read it.
    /// </summary>
    public static async Task<long> TrimAsync(IDatabase database, TimeSpan keep, TimeSpan forgetIdleAfter, IReadOnlyCollection<string> expected, ILogger logger)
    {
        var stream = RedisStreamsEventBus.Stream;
        if (!await database.KeyExistsAsync(stream)) return 0;
        var groups = Pairs(await database.ExecuteAsync("XINFO", "GROUPS", stream)).ToList();
        var missing = expected.Except(groups.Select(group => (string)group["name"]!), StringComparer.Ordinal).ToList();
        foreach (var name in missing)
        {
            try { await database.ExecuteAsync("XGROUP", "CREATE", stream, name, "0"); }
            catch (RedisServerException error) when (error.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal)) { }
        }
        if (missing.Count > 0) return 0;
        // Redis's clock, as entry ids are: "<milliseconds>-<sequence>".
        var time = (RedisResult[])(await database.ExecuteAsync("TIME"))!;
        var now = (long)time[0] * 1000 + (long)time[1] / 1000;
        var floor = new EntryId(now - (long)keep.TotalMilliseconds, 0);

        foreach (var group in groups)
        {
            var name = (string)group["name"]!;
            // Entries after last-delivered-id are unread; those up to it are acknowledged unless still pending.
            var oldestNeeded = EntryId.Parse((string)group["last-delivered-id"]!).Next;
            if ((long)group["pending"] > 0)
            {
                var pending = (RedisResult[])(await database.ExecuteAsync("XPENDING", stream, name))!;
                if (!pending[1].IsNull) oldestNeeded = EntryId.Min(oldestNeeded, EntryId.Parse((string)pending[1]!));
            }
            floor = EntryId.Min(floor, oldestNeeded);
            if (group.TryGetValue("lag", out var lag) && !lag.IsNull && (long)lag > FarBehind) LogFarBehind(logger, name, (long)lag);
            await ForgetIdleConsumersAsync(database, stream, name, forgetIdleAfter);
        }
        // Exact, not "~": every 30 s the cut is cheap, and an approximate one keeps whole 100-entry nodes back.
        return (long)await database.ExecuteAsync("XTRIM", stream, "MINID", floor.ToString());
    }

    // Deleting a consumer drops its pending entries, so the script checks it has none in the same step as it deletes it:
    // a consumer that read between a separate check and the delete would otherwise lose what it just read.
    private const string DeleteIfNothingPending = """
        if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then return 0 end
        return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
        """;

    private static async Task ForgetIdleConsumersAsync(IDatabase database, string stream, string group, TimeSpan forgetIdleAfter)
    {
        foreach (var consumer in Pairs(await database.ExecuteAsync("XINFO", "CONSUMERS", stream, group)))
            if ((long)consumer["pending"] == 0 && (long)consumer["idle"] > forgetIdleAfter.TotalMilliseconds)
                await database.ScriptEvaluateAsync(DeleteIfNothingPending, [stream], [group, (string)consumer["name"]!]);
    }

    // XINFO replies are lists of flat field/value arrays.
    private static IEnumerable<Dictionary<string, RedisResult>> Pairs(RedisResult reply) =>
        ((RedisResult[])reply!).Select(item =>
        {
            var fields = (RedisResult[])item!;
            var pairs = new Dictionary<string, RedisResult>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < fields.Length; i += 2) pairs[(string)fields[i]!] = fields[i + 1];
            return pairs;
        });

    private readonly record struct EntryId(long Milliseconds, long Sequence)
    {
        public static EntryId Parse(string id)
        {
            var dash = id.IndexOf('-');
            return dash < 0 ? new(long.Parse(id), 0) : new(long.Parse(id.AsSpan(0, dash)), long.Parse(id.AsSpan(dash + 1)));
        }

        public static EntryId Min(EntryId a, EntryId b) =>
            a.Milliseconds < b.Milliseconds || (a.Milliseconds == b.Milliseconds && a.Sequence <= b.Sequence) ? a : b;

        public EntryId Next => new(Milliseconds, Sequence + 1);

        public override string ToString() => $"{Milliseconds}-{Sequence}";
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Keeping the event stream bounded failed; trying again shortly")]
    private static partial void LogUpkeepFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Consumer group {Group} is {Lag} entries behind; the stream keeps them until it reads them (XGROUP DESTROY a group no service uses any more)")]
    private static partial void LogFarBehind(ILogger logger, string group, long lag);
}
