using System.Text.Json;
using Microsoft.Extensions.Logging;
using Playbooks.Messaging;
using Playbooks.Messaging.Consumers;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Notifications.Delivery;

/// <summary>
/// The engine's SendNotification activity arrives here: one delivery per recipient is recorded, and a redelivered
/// request (same event id, or a new event for the same instance and activity) records nothing new.
/// </summary>
internal sealed partial class NotificationRequestedConsumer(DeliveryPlanner planner, DeliveryStore store, ILogger<NotificationRequestedConsumer> logger)
    : IEventConsumer
{
    public IReadOnlyCollection<string> EventTypes { get; } = [Messaging.Contracts.EventTypes.NotificationRequested];

    // An email can leave a tenth of a second later. The service reads every entry on the stream and wants few of them;
    // read as they come, that cost it a read and an acknowledgement for nearly every entry.
    public TimeSpan GatherFor => TimeSpan.FromMilliseconds(100);

    public async Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        NotificationRequested? request;
        try
        {
            request = envelope.Data.Deserialize<NotificationRequested>(JsonSerializerOptions.Web);
        }
        catch (JsonException error)
        {
            // Redelivering it cannot make it readable; keeping it on the bus would only block what follows.
            LogUnreadable(logger, envelope.Id, error.Message);
            return;
        }
        if (request is null)
        {
            LogUnreadable(logger, envelope.Id, "empty");
            return;
        }

        var plan = await planner.PlanAsync(request, cancellationToken);
        if (plan.Deliveries.Count == 0 && plan.Problems.Count > 0)
        {
            LogUnreadable(logger, envelope.Id, string.Join(" ", plan.Problems.Select(problem => problem.Message)));
            return;
        }
        foreach (var problem in plan.Problems) LogRefused(logger, request.InstanceId, request.ActivityId, problem.Field, problem.Message);
        await store.AddAsync(plan.Deliveries, envelope.Id, cancellationToken);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Dropped unreadable notification request {EventId}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string eventId, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Notification for instance {InstanceId} activity {ActivityId} refused at {Field}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string instanceId, string activityId, string field, string reason);
}
