namespace Playbooks.Notifications.Channels.Email;

/// <summary>An email as the MIME writer needs it.</summary>
/// <param name="MessageId">Without angle brackets, e.g. <c>0193…@acme.example</c>; stable per delivery so receivers can spot a copy.</param>
public sealed record EmailMessage(
    string FromAddress,
    string? FromName,
    string ToAddress,
    string? ToName,
    string Subject,
    string Text,
    string? Html,
    string MessageId,
    DateTimeOffset Date,
    string DeliveryId);
