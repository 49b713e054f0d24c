using StackExchange.Redis;

namespace Playbooks.Distributed.Tests.Support;

/// <summary>
/// Reads the suite's event stream as the tests need it: every entry's fields (id, type, body, …), oldest first.
/// StackExchange.Redis 1.x has no stream API; XRANGE answers [entry id, [field, value, …]] per entry.
/// </summary>
public static class EventStream
{
    public const string Name = "playbooks:events";

    public static async Task<IReadOnlyList<Dictionary<string, string>>> ReadAllAsync(IDatabase database) =>
        ((RedisResult[])(await database.ExecuteAsync("XRANGE", Name, "-", "+"))!).Select(Fields).ToList();

    private static Dictionary<string, string> Fields(RedisResult entry)
    {
        var flat = (RedisResult[])((RedisResult[])entry!)[1]!;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < flat.Length; i += 2) fields[(string)flat[i]!] = (string)flat[i + 1]!;
        return fields;
    }
}
