namespace Playbooks.Notifications.Channels;

/// <summary>One rendered message on its way to one recipient.</summary>
/// <param name="Recipient">An email address (email), a user id (in-app) or who a chat message is for.</param>
/// <param name="WebhookUrl">Where a chat message is posted.</param>
public sealed record OutgoingNotification(
    string DeliveryId,
    string Channel,
    string AccountId,
    string InstanceId,
    string Recipient,
    string? RecipientName,
    string? WebhookUrl,
    string? Subject,
    string Text,
    string? Html);
