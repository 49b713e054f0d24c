using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Playbooks.Messaging.Cluster;

/// <summary>
/// Tells the other replicas of a service that something they cache changed (a playbook was published), at once and
/// best effort: a replica that misses a message (Redis restarting) still catches up through its cache's expiry.
/// Embedded mode has no other replica, so the broadcast goes nowhere; distributed mode uses Redis pub/sub.
/// </summary>
public interface IClusterBroadcast
{
    /// <summary>Sends <paramref name="message"/> to every other process subscribed to <paramref name="channel"/>.</summary>
    Task PublishAsync(string channel, string message);

    /// <summary>
    /// Calls <paramref name="handler"/> for messages other processes send on <paramref name="channel"/>, from when the
    /// returned task completes until the subscription is disposed.
    /// </summary>
    Task<IDisposable> SubscribeAsync(string channel, Func<string, Task> handler);
}

/// <summary>One process: nobody else to tell.</summary>
public sealed class NoClusterBroadcast : IClusterBroadcast
{
    public Task PublishAsync(string channel, string message) => Task.CompletedTask;

    public Task<IDisposable> SubscribeAsync(string channel, Func<string, Task> handler) => Task.FromResult<IDisposable>(new Nothing());

    private sealed class Nothing : IDisposable
    {
        public void Dispose() { }
    }
}

/// <summary>Redis pub/sub; each message carries its sender so a process ignores its own (it acted already).</summary>
internal sealed partial class RedisClusterBroadcast(IConnectionMultiplexer redis, ILogger<RedisClusterBroadcast> logger) : IClusterBroadcast
{
    private readonly string _self = Guid.NewGuid().ToString("N");

    public async Task PublishAsync(string channel, string message)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(channel, $"{_self}|{message}");
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            // Best effort by design: the others' caches expire on their own.
            LogPublishFailed(logger, channel, error);
        }
    }

    // Asynchronous: the synchronous call gives up after the client's 1 s timeout, and a replica starting on a busy machine
    // failed its start-up that way (the suite's tests, under load).
    public async Task<IDisposable> SubscribeAsync(string channel, Func<string, Task> handler)
    {
        var subscriber = redis.GetSubscriber();
        Action<RedisChannel, RedisValue> receive = (from, value) =>
        {
            var text = (string?)value ?? "";
            var bar = text.IndexOf('|');
            if (bar < 0 || text.AsSpan(0, bar).SequenceEqual(_self)) return;
            _ = RunAsync(handler, channel, text[(bar + 1)..]);
        };
        // This client enforces no timeout on asynchronous calls: a stalled Redis fails the start-up instead of hanging it.
        await subscriber.SubscribeAsync(channel, receive).WaitAsync(TimeSpan.FromSeconds(10));
        return new Subscription(subscriber, channel, receive);
    }

    private async Task RunAsync(Func<string, Task> handler, string channel, string message)
    {
        try
        {
            await handler(message);
        }
        catch (Exception error)
        {
            LogHandlerFailed(logger, channel, error);
        }
    }

    private sealed class Subscription(ISubscriber subscriber, string channel, Action<RedisChannel, RedisValue> receive) : IDisposable
    {
        // Not waited for: a process stopping has no use for the answer, and Redis may be the reason it stops.
        public void Dispose() => subscriber.Unsubscribe(channel, receive, CommandFlags.FireAndForget);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Broadcasting on {Channel} failed; other replicas catch up when their caches expire")]
    private static partial void LogPublishFailed(ILogger logger, string channel, Exception error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Handling a broadcast on {Channel} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string channel, Exception error);
}
