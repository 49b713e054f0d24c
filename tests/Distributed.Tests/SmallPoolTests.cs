using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Playbooks.Distributed.Tests.Support;
using Playbooks.TestSupport.Distributed;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// Whatever resumes a run holds a connection for the run's lock and opens another for the work. An engine whose pool is
/// small (an operator's <c>Maximum Pool Size</c>, or many resumes at once in the default 40) must not let lock holders
/// take every connection: each would wait for a second one, and all of them would fail when the pool gave up waiting.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class SmallPoolTests(DistributedCluster cluster)
{
    [Fact]
    public async Task Timers_falling_due_together_on_an_engine_with_six_connections_all_resume_their_runs()
    {
        var name = $"small_pool_{Guid.NewGuid().ToString("N")[..8]}";
        await using var redis = new RedisServer(Path.Combine(cluster.Folder, name));
        await redis.StartAsync();
        await cluster.Postgres.CreateDatabaseAsync(name);
        var database = cluster.Postgres.ConnectionString(name);
        await using var engine = await InProcessEngine.StartAsync(database + ";Maximum Pool Size=6", redis.ConnectionString, cluster.Folder);
        var playbook = await engine.PublishAsync(new JsonObject
        {
            ["definitionId"] = "pause-then-end", ["name"] = "Pause then end",
            ["activities"] = new JsonArray(
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject { ["id"] = "pause", ["type"] = "Delay", ["inputs"] = new JsonObject { ["duration"] = "PT1S" } },
                new JsonObject { ["id"] = "done", ["type"] = "End" }),
            ["connections"] = new JsonArray(new JsonObject { ["from"] = "start", ["to"] = "pause" }, new JsonObject { ["from"] = "pause", ["to"] = "done" }),
        });
        var accounts = await engine.AccountsAsync("paused", 24);
        // Up to eight timers resume side by side: more than the pool's six connections could serve two each.
        var runs = (await Task.WhenAll(accounts.Select(a => engine.Runtime.StartAsync(playbook, a, null, null, null, CancellationToken.None)))).Select(r => r!.Id).ToArray();

        // A resume that failed for want of a connection would wait out its timer's 30 s claim before it was tried again.
        await using var connection = new NpgsqlConnection(database);
        long completed = 0;
        for (var deadline = DateTime.UtcNow.AddSeconds(15); completed < runs.Length && DateTime.UtcNow < deadline; await Task.Delay(200))
            completed = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM engine.instances WHERE id = ANY(@runs) AND status = 'completed'", new { runs });
        Assert.Equal(runs.Length, completed);
    }
}
