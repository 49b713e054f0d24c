using Playbooks.Messaging.DeadLetters;
using Playbooks.Messaging.Inbox;
using StackExchange.Redis;

namespace Playbooks.Messaging.Redis;

/// <summary>
/// The dead-letter stream (<c>playbooks:events:dead</c>). Replaying moves an entry back onto the event stream, marked
/// for the group that gave up on it, and deletes it from the dead letters in one Lua script, so a crash can neither
/// lose it nor replay it twice. One that died longer ago than the inboxes remember stays unless forced: had a copy of
/// its event been handled after all, the inbox that would drop it again may have forgotten it.
/// </summary>
internal sealed class RedisDeadLetters(IConnectionMultiplexer redis, InboxRetention retention, TimeProvider time) : IDeadLetters
{
    private const string Replay = """
        local found = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
        if #found == 0 then return 0 end
        local flat = found[1][2]
        local fields = {}
        for i = 1, #flat, 2 do fields[flat[i]] = flat[i + 1] end
        redis.call('XADD', KEYS[2], '*', 'body', fields['body'], 'only', fields['group'], 'replayed', ARGV[1])
        redis.call('XDEL', KEYS[1], ARGV[1])
        return 1
        """;

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken)
    {
        var entries = await redis.GetDatabase().ExecuteAsync("XRANGE", RedisStreamsEventBus.DeadLetterStream, "-", "+", "COUNT", max.ToString());
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
        int replayed = 0, tooOld = 0;
        foreach (var letter in await ListAsync(max, cancellationToken))
        {
            if (group is not null && letter.Group != group) continue;
            if (eventId is not null && letter.EventId != eventId) continue;
            if (!force && letter.DeadAt < oldest)
            {
                tooOld++;
                continue;
            }
            var moved = await database.ScriptEvaluateAsync(Replay,
                [RedisStreamsEventBus.DeadLetterStream, RedisStreamsEventBus.Stream], [letter.Entry]);
            replayed += (int)moved;
        }
        return new ReplayResult(replayed, tooOld);
    }
}
