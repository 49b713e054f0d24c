namespace Playbooks.Notifications.Channels.InApp;

/// <summary>Puts the message in the user's in-app inbox (user ids are email addresses).</summary>
internal sealed class InAppChannel(InboxStore inbox, TimeProvider time) : INotificationChannel
{
    public string Name => ChannelNames.InApp;

    public bool ResendIsHarmless => true;

    public string EndpointOf(OutgoingNotification notification) => "in-app";

    public async Task<SendResult> SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        await inbox.AddAsync(new InboxMessage(notification.DeliveryId, notification.Recipient, notification.AccountId, notification.InstanceId,
            notification.Subject, notification.Text, time.GetUtcNow(), ReadAt: null), cancellationToken);
        return SendResult.Sent;
    }
}
