using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Notifications.Delivery;

/// <summary><c>notification.sent</c> and <c>notification.failed</c>, one per recipient: the metrics service counts them, the engine branches on failure.</summary>
internal static class DeliveryEvents
{
    public const string Source = NotificationsService.Name;

    public static EventEnvelope Sent(DeliveryRecord delivery, int attempts, DateTimeOffset now) =>
        EventEnvelopeFactory.Create(EventTypes.NotificationSent, Source, delivery.AccountId, Payload(delivery, attempts, error: null), now);

    public static EventEnvelope Failed(DeliveryRecord delivery, int attempts, string error, DateTimeOffset now) =>
        EventEnvelopeFactory.Create(EventTypes.NotificationFailed, Source, delivery.AccountId, Payload(delivery, attempts, error), now);

    private static NotificationDelivered Payload(DeliveryRecord delivery, int attempts, string? error) =>
        new(delivery.Id, delivery.InstanceId, delivery.ActivityId, delivery.AccountId, delivery.Channel, delivery.Recipient, attempts, error);
}
