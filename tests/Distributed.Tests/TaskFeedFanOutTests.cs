using Microsoft.Extensions.Logging.Abstractions;
using Playbooks.Messaging.Cluster;
using Playbooks.Tasks;
using Playbooks.Tasks.Feed;
using Playbooks.Distributed.Tests.Support;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// Two tasks replicas on real Redis: a task created on one reaches the feed's followers on both, once each, so a CSM's
/// live inbox does not depend on which replica the gateway connected it to.
/// </summary>
public sealed class TaskFeedFanOutTests : IAsyncLifetime
{
    private ScratchRedis _redis = null!;
    private readonly List<TaskFeedRelay> _relays = [];

    public async Task InitializeAsync() => _redis = await ScratchRedis.StartAsync("task-feed");

    [Fact]
    public async Task A_task_created_on_one_replica_reaches_the_followers_of_both_once()
    {
        var creating = await ReplicaAsync();
        var other = await ReplicaAsync();
        using var here = creating.Follow();
        using var there = other.Follow();

        creating.Announce(NewTask("t-1"));
        creating.Announce(NewTask("t-2"));

        Assert.Equal(["t-1", "t-2"], await TaskIdsAsync(there, 2));
        Assert.Equal(["t-1", "t-2"], await TaskIdsAsync(here, 2));
        // Neither hears a task twice (a replica ignores its own broadcast, having delivered it already).
        await Task.Delay(300);
        Assert.False(here.Tasks.TryRead(out _));
        Assert.False(there.Tasks.TryRead(out _));
    }

    private async Task<TaskFeed> ReplicaAsync()
    {
        var connection = await _redis.ConnectAsync();
        var broadcast = new RedisClusterBroadcast(connection, NullLogger<RedisClusterBroadcast>.Instance);
        var feed = new TaskFeed(broadcast);
        var relay = new TaskFeedRelay(feed, broadcast);
        await relay.StartAsync(CancellationToken.None);
        _relays.Add(relay);
        // The relay subscribes as it starts; a broadcast before that would go unheard.
        await Task.Delay(200);
        return feed;
    }

    private static async Task<List<string>> TaskIdsAsync(TaskFeed.Follower follower, int count)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var ids = new List<string>();
        while (ids.Count < count)
            if (await follower.Tasks.ReadAsync(patience.Token) is { } task) ids.Add(task.Id);
        return ids;
    }

    private static TaskSummary NewTask(string id) => new(
        id, "Kick off Acme", null, "open", false, "normal", "aiko@playbooks.example", "enterprise", null, null, ["done"],
        "acme", "Acme", "run-1", "task", "kickoff", 1, "Kickoff", null, null, null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    public async Task DisposeAsync()
    {
        foreach (var relay in _relays) await relay.StopAsync(CancellationToken.None);
        await _redis.DisposeAsync();
    }
}
