using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Playbooks.Messaging.Cluster;

namespace Playbooks.Tasks.Feed;

/// <summary>
/// Hands the tasks other replicas announce to this replica's followers, and sends every follower a heartbeat now and
/// then: proxies close a response that stays silent (YARP after 100 s, ingress controllers after 60 s).
/// </summary>
internal sealed class TaskFeedRelay(TaskFeed feed, IClusterBroadcast broadcast) : BackgroundService
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = await broadcast.SubscribeAsync(TaskFeed.BroadcastChannel, message =>
        {
            feed.Deliver(JsonSerializer.Deserialize<TaskSummary>(message, JsonSerializerOptions.Web));
            return Task.CompletedTask;
        });
        using var beat = new PeriodicTimer(Heartbeat);
        try
        {
            while (await beat.WaitForNextTickAsync(stoppingToken)) feed.Deliver(null);
        }
        catch (OperationCanceledException) { }
    }
}
