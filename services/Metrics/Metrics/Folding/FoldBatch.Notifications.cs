using Playbooks.Messaging.Contracts;
using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Folding;

/// <summary>Notification deliveries per channel; those on a customer channel may also be incident notices.</summary>
internal sealed partial class FoldBatch
{
    private void OnDelivery(FoldEvent e, NotificationDelivered delivery)
    {
        var sent = e.Type == EventTypes.NotificationSent;
        Deltas.Count(BucketTables.Notifications, UnixDay.Of(e.At), [delivery.Channel], sent ? "sent" : "failed");
        if (sent && rules.CustomerChannels.Contains(delivery.Channel)) OnCustomerNotice(e, delivery);
    }
}
