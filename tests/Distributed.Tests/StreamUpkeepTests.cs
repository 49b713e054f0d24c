using Microsoft.Extensions.Logging.Abstractions;
using Playbooks.Messaging.Redis;
using Playbooks.TestSupport.Distributed;
using StackExchange.Redis;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// The event stream is trimmed against real Redis only as far as every consumer group has acknowledged: a group that
/// was down or fell behind still finds every entry it has not handled.
/// </summary>
public sealed class StreamUpkeepTests : IAsyncLifetime
{
    private const string Stream = RedisStreamsEventBus.Stream;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "playbooks-stream-upkeep", Guid.NewGuid().ToString("N")[..12]);
    private static readonly TimeSpan AnHour = TimeSpan.FromHours(1);
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync()
    {
        _redis = new RedisServer(_folder);
        await _redis.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    [Fact]
    public async Task Only_entries_every_group_acknowledged_are_trimmed()
    {
        var database = _connection.GetDatabase();
        var ids = new List<string>();
        for (var i = 0; i < 10; i++) ids.Add((string)(await database.ExecuteAsync("XADD", Stream, "*", "type", "test.event", "body", $"{{\"n\":{i}}}"))!);
        await database.ExecuteAsync("XGROUP", "CREATE", Stream, "fast", "0");
        await database.ExecuteAsync("XGROUP", "CREATE", Stream, "slow", "0");
        await ReadAsync(database, "fast", 10, acknowledge: true);
        await ReadAsync(database, "slow", 3, acknowledge: true);
        await ReadAsync(database, "slow", 2, acknowledge: false); // handling when its process died: still pending

        // Kept for a while after acknowledgement: nothing goes yet.
        Assert.Equal(0, await StreamUpkeep.TrimAsync(database, TimeSpan.FromMinutes(10), AnHour, [], NullLogger.Instance));
        Assert.Equal(10, (long)await database.ExecuteAsync("XLEN", Stream));

        // Past that, only the three both groups acknowledged; the slow group's pending and unread entries stay.
        Assert.Equal(3, await StreamUpkeep.TrimAsync(database, TimeSpan.Zero, AnHour, [], NullLogger.Instance));
        var left = (RedisResult[])(await database.ExecuteAsync("XRANGE", Stream, "-", "+"))!;
        Assert.Equal(ids.Skip(3), left.Select(entry => (string)((RedisResult[])entry!)[0]!));

        // Once the slow group catches up, the rest can go too.
        await database.ExecuteAsync("XACK", Stream, "slow", ids[3], ids[4]);
        await ReadAsync(database, "slow", 5, acknowledge: true);
        Assert.Equal(7, await StreamUpkeep.TrimAsync(database, TimeSpan.Zero, AnHour, [], NullLogger.Instance));
        Assert.Equal(0, (long)await database.ExecuteAsync("XLEN", Stream));
    }

    [Fact]
    public async Task A_service_that_has_not_started_yet_finds_every_entry_when_it_does()
    {
        var database = _connection.GetDatabase();
        for (var i = 0; i < 5; i++) await database.ExecuteAsync("XADD", Stream, "*", "type", "test.event", "body", $"{{\"n\":{i}}}");
        await database.ExecuteAsync("XGROUP", "CREATE", Stream, "early", "0");
        await ReadAsync(database, "early", 5, acknowledge: true);

        // "late" is one of the suite's groups but its service has not started: its group is made, from the start.
        Assert.Equal(0, await StreamUpkeep.TrimAsync(database, TimeSpan.Zero, AnHour, ["early", "late"], NullLogger.Instance));
        Assert.Equal(0, await StreamUpkeep.TrimAsync(database, TimeSpan.Zero, AnHour, ["early", "late"], NullLogger.Instance));
        await ReadAsync(database, "late", 5, acknowledge: true);
        Assert.Equal(5, await StreamUpkeep.TrimAsync(database, TimeSpan.Zero, AnHour, ["early", "late"], NullLogger.Instance));
    }

    [Fact]
    public async Task A_consumer_long_silent_with_nothing_pending_is_forgotten_and_one_holding_entries_is_kept()
    {
        var database = _connection.GetDatabase();
        for (var i = 0; i < 5; i++) await database.ExecuteAsync("XADD", Stream, "*", "type", "test.event", "body", $"{{\"n\":{i}}}");
        await database.ExecuteAsync("XGROUP", "CREATE", Stream, "tasks", "0");
        await ReadAsync(database, "tasks", 2, acknowledge: true, consumer: "gone-replica");
        await ReadAsync(database, "tasks", 1, acknowledge: false, consumer: "stalled-replica");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await ReadAsync(database, "tasks", 1, acknowledge: true, consumer: "live-replica");

        await StreamUpkeep.TrimAsync(database, AnHour, TimeSpan.FromSeconds(1), ["tasks"], NullLogger.Instance);

        // The stalled replica's entry would be lost with it, and the live one has just read: both stay.
        var consumers = ((RedisResult[])(await database.ExecuteAsync("XINFO", "CONSUMERS", Stream, "tasks"))!)
            .Select(consumer => (RedisResult[])consumer!)
            .Select(fields => (string)fields[Array.FindIndex(fields, field => (string?)field == "name") + 1]!)
            .Order().ToList();
        Assert.Equal(["live-replica", "stalled-replica"], consumers);
    }

    private static async Task ReadAsync(IDatabase database, string group, int count, bool acknowledge, string consumer = "test-consumer")
    {
        var read = (RedisResult[])(await database.ExecuteAsync("XREADGROUP", "GROUP", group, consumer, "COUNT", count.ToString(), "STREAMS", Stream, ">"))!;
        var entries = (RedisResult[])((RedisResult[])read[0]!)[1]!;
        Assert.Equal(count, entries.Length);
        if (acknowledge)
            await database.ExecuteAsync("XACK", [Stream, group, .. entries.Select(entry => (object)(string)((RedisResult[])entry!)[0]!)]);
    }

    public async Task DisposeAsync()
    {
        _connection.Dispose();
        await _redis.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
