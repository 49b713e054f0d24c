using Playbooks.Messaging.DeadLetters;
using Playbooks.Messaging.Inbox;
using StackExchange.Redis;

namespace Playbooks.Messaging.Redis;

/// <summary>
/// The dead-letter stream (<c>playbooks:events:dead</c>). Replaying moves an entry back onto the event stream, marked
/// for the group that gave up on it, and deletes it from the dead letters in one Lua script, so a crash can neither
/// lose it nor replay it twice; the replayed entry keeps when the event was first on the bus, which a second death
/// carries on. One whose event was on the bus longer ago than the inboxes remember stays unless forced: had a copy of it
/// been handled after all, the inbox that would drop it again may have forgotten it.
/// </summary>
internal sealed class RedisDeadLetters(IConnectionMultiplexer redis, InboxRetention retention, TimeProvider time) : IDeadLetters
{
    private const string Replay = """
        local found = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
        if #found == 0 then return 0 end
        local flat = found[1][2]
        local fields = {}
        for i = 1, #flat, 2 do fields[flat[i]] = flat[i + 1] end
        redis.call('XADD', KEYS[2], '*', 'body', fields['body'], 'only', fields['group'], 'replayed', ARGV[1], 'since', ARGV[2])
        redis.call('XDEL', KEYS[1], ARGV[1])
        return 1
        """;

    private const int PageSize = 1_000;

    public Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken) => ReadAsync("-", "+", max);

    private async Task<IReadOnlyList<DeadLetter>> ReadAsync(string from, string to, int max)
    {
        var entries = await redis.GetDatabase().ExecuteAsync("XRANGE", RedisStreamsEventBus.DeadLetterStream, from, to, "COUNT", max.ToString());
        if (entries.IsNull) return [];
        var letters = new List<DeadLetter>();
        foreach (var entry in (RedisResult[])entries!)
        {
            var parts = (RedisResult[])entry!;
            var flat = (RedisResult[])parts[1]!;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < flat.Length; i += 2) fields[(string)flat[i]!] = (string)flat[i + 1]!;
            letters.Add(DeadLettersApi.Parse((string)parts[0]!, fields));
        }
        return letters;
    }

    public async Task<ReplayResult> ReplayAsync(string? group, string? eventId, int max, bool force, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var oldest = time.GetUtcNow() - retention.ReplayWithin;
        bool Wanted(DeadLetter letter) => (group is null || letter.Group == group) && (eventId is null || letter.EventId == eventId);
        // Letters that died before the cutoff are too old whatever they carry, so an unforced replay reads from the cutoff
        // (the stream is in order of death) and only counts those before it: they cannot hold up the ones after them.
        var cutoff = $"{oldest.ToUnixTimeMilliseconds()}-0";
        var tooOld = force ? 0 : (await ReadAsync("-", $"({cutoff}", max)).Count(Wanted);
        var replayed = 0;
        // Page by page to the end if need be: reading only the first max letters and then choosing, a replay for one group
        // or event behind as many of another's found nothing, however often it was asked.
        for (var from = force ? "-" : cutoff; replayed < max;)
        {
            var page = await ReadAsync(from, "+", PageSize);
            foreach (var letter in page.Where(Wanted))
            {
                if (replayed == max) break;
                if (!force && letter.OnBusSince < oldest)
                {
                    tooOld++;
                    continue;
                }
                var since = (letter.OnBusSince ?? time.GetUtcNow()).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
                var moved = await database.ScriptEvaluateAsync(Replay,
                    [RedisStreamsEventBus.DeadLetterStream, RedisStreamsEventBus.Stream], [letter.Entry, since]);
                replayed += (int)moved;
            }
            if (page.Count < PageSize) break;
            from = $"({page[^1].Entry}";
        }
        return new ReplayResult(replayed, tooOld);
    }
}
