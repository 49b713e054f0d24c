using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Playbooks.Distributed.Tests.Support;
using Playbooks.TestSupport;
using Playbooks.TestSupport.Distributed;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// Replicas claim timers a little before they fall due. One that is stopped (a rolling deploy) in between must give its
/// claims back, or those timers would wait out the claim's lease (30 s by default) before another replica fires them.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class TimerHandBackTests(DistributedCluster cluster)
{
    [Fact]
    public async Task A_replica_stopped_before_its_claimed_timers_fall_due_hands_them_to_the_next()
    {
        var name = $"timer_hand_back_{Guid.NewGuid().ToString("N")[..8]}";
        await using var redis = new RedisServer(Path.Combine(cluster.Folder, name));
        await redis.StartAsync();
        await cluster.Postgres.CreateDatabaseAsync(name);
        var database = cluster.Postgres.ConnectionString(name);
        // The first replica's clock stands still 300 ms before the timers fall due: it claims them (they are within its
        // look-ahead) and waits for a moment that never comes on it.
        var standingClock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var first = await InProcessEngine.StartAsync(database, redis.ConnectionString, cluster.Folder, standingClock);
        var playbook = await first.PublishAsync(new JsonObject
        {
            ["definitionId"] = "pause-then-end", ["name"] = "Pause then end",
            ["activities"] = new JsonArray(
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject { ["id"] = "pause", ["type"] = "Delay", ["inputs"] = new JsonObject { ["duration"] = "PT0.3S" } },
                new JsonObject { ["id"] = "done", ["type"] = "End" }),
            ["connections"] = new JsonArray(new JsonObject { ["from"] = "start", ["to"] = "pause" }, new JsonObject { ["from"] = "pause", ["to"] = "done" }),
        });
        var accounts = await first.AccountsAsync("paused", 10);
        var runs = (await Task.WhenAll(accounts.Select(a => first.Runtime.StartAsync(playbook, a, null, null, null, CancellationToken.None)))).Select(r => r!.Id).ToArray();
        await using var connection = new NpgsqlConnection(database);
        await WaitUntilAsync(async () => await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM engine.bookmarks WHERE instance_id = ANY(@runs) AND claimed_until IS NOT NULL", new { runs }) == runs.Length, "the first replica claims the timers");

        await first.DisposeAsync();

        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM engine.bookmarks WHERE instance_id = ANY(@runs) AND claimed_until IS NOT NULL", new { runs }));
        await using var second = await InProcessEngine.StartAsync(database, redis.ConnectionString, cluster.Folder);
        await WaitUntilAsync(async () => await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM engine.instances WHERE id = ANY(@runs) AND status = 'completed'", new { runs }) == runs.Length, "the second replica fires them");
    }

    // Well inside the 30 s lease a kept claim would hold the timers for, with room for a loaded machine.
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Waited 20 s for {what}.");
            await Task.Delay(50);
        }
    }
}
