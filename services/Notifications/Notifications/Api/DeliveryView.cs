using Playbooks.Notifications.Delivery;

namespace Playbooks.Notifications.Api;

/// <summary>A delivery as the log shows it; the message itself only when one delivery is asked for.</summary>
public sealed record DeliveryView(
    string Id,
    string InstanceId,
    string ActivityId,
    string DefinitionId,
    string PlaybookName,
    string AccountId,
    string Channel,
    string Template,
    string Recipient,
    string? RecipientName,
    string Status,
    int Attempts,
    string? LastError,
    string? DeferredReason,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? SentAt,
    string? Subject,
    string? Text = null,
    string? Html = null)
{
    public static DeliveryView From(DeliveryRecord row, bool withMessage = false) => new(
        row.Id, row.InstanceId, row.ActivityId, row.DefinitionId, row.PlaybookName, row.AccountId, row.Channel, row.TemplateId,
        row.Recipient, row.RecipientName, row.Status, row.Attempts, row.LastError, row.DeferredReason,
        row.Status == DeliveryStatus.Pending ? DateTimeOffset.FromUnixTimeMilliseconds(row.NextAttemptAt) : null,
        DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAt),
        row.SentAt is { } sent ? DateTimeOffset.FromUnixTimeMilliseconds(sent) : null,
        row.Subject, withMessage ? row.TextBody : null, withMessage ? row.HtmlBody : null);
}

public sealed record DeliveryPage(IReadOnlyList<DeliveryView> Items, int Page, int PageSize, int Total);
