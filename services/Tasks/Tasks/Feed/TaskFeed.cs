using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Playbooks.Messaging.Cluster;

namespace Playbooks.Tasks.Feed;

/// <summary>
/// New tasks as they are created, for a screen that shows a live inbox instead of asking again and again. A task goes
/// to this replica's followers at once and, over the cluster broadcast, to the other replicas'. Best effort, as any
/// push: a follower that (re)connects lists the inbox once, then follows.
/// </summary>
public sealed class TaskFeed(IClusterBroadcast broadcast)
{
    public const string BroadcastChannel = "playbooks:tasks:created";

    // A follower that reads slower than tasks are created loses the oldest it has not read, not the replica's memory.
    private const int FollowerBacklog = 1_000;

    private readonly ConcurrentDictionary<Follower, byte> _followers = new();

    public void Announce(TaskSummary task)
    {
        Deliver(task);
        // Off the creating consumer's path: the task is committed, and the broadcast is best effort anyway (it logs and
        // drops what Redis refuses), so creating the next task does not wait on it.
        _ = broadcast.PublishAsync(BroadcastChannel, JsonSerializer.Serialize(task, JsonSerializerOptions.Web));
    }

    /// <summary>Hands a task to every follower here: one created here, or one another replica announced.</summary>
    internal void Deliver(TaskSummary? task)
    {
        foreach (var follower in _followers.Keys) follower.Writer.TryWrite(task);
    }

    /// <summary>A follower's tasks, in the order they were announced; a null is a heartbeat (<see cref="TaskFeedRelay"/>).</summary>
    public Follower Follow()
    {
        var follower = new Follower(this);
        _followers.TryAdd(follower, 0);
        return follower;
    }

    public sealed class Follower : IDisposable
    {
        private readonly TaskFeed _feed;
        private readonly Channel<TaskSummary?> _tasks = Channel.CreateBounded<TaskSummary?>(
            new BoundedChannelOptions(FollowerBacklog) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        internal Follower(TaskFeed feed) => _feed = feed;

        internal ChannelWriter<TaskSummary?> Writer => _tasks.Writer;

        public ChannelReader<TaskSummary?> Tasks => _tasks.Reader;

        public void Dispose() => _feed._followers.TryRemove(this, out _);
    }
}
