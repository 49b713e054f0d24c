using Playbooks.Notifications.Channels;

namespace Playbooks.Notifications.Delivery;

/// <summary>One row of the <c>deliveries</c> table: one rendered message to one recipient and how sending it went. Times are Unix ms.</summary>
public sealed class DeliveryRecord
{
    public const string Columns = """
        id AS Id, instance_id AS InstanceId, activity_id AS ActivityId, recipient AS Recipient, definition_id AS DefinitionId,
        playbook_name AS PlaybookName, account_id AS AccountId, channel AS Channel, template_id AS TemplateId, recipient_name AS RecipientName,
        audience AS Audience, webhook_url AS WebhookUrl, time_zone AS TimeZone, urgent AS Urgent, subject AS Subject, text_body AS TextBody,
        html_body AS HtmlBody, trace_parent AS TraceParent, status AS Status, attempts AS Attempts, round_attempts AS RoundAttempts,
        last_error AS LastError, deferred_reason AS DeferredReason, next_attempt_at AS NextAttemptAt, lease_until AS LeaseUntil,
        created_at AS CreatedAt, updated_at AS UpdatedAt, sent_at AS SentAt
        """;

    public string Id { get; init; } = "";
    public string InstanceId { get; init; } = "";
    public string ActivityId { get; init; } = "";

    /// <summary>The recipient's address, user id or webhook URL; "" for a request refused as a whole.</summary>
    public string Recipient { get; init; } = "";

    public string DefinitionId { get; init; } = "";
    public string PlaybookName { get; init; } = "";
    public string AccountId { get; init; } = "";
    public string Channel { get; init; } = "";
    public string TemplateId { get; init; } = "";
    public string? RecipientName { get; init; }

    /// <summary><c>customer</c> or <c>team</c>.</summary>
    public string Audience { get; init; } = "";

    public string? WebhookUrl { get; init; }
    public string? TimeZone { get; init; }
    public int Urgent { get; init; }
    public string? Subject { get; init; }
    public string? TextBody { get; init; }
    public string? HtmlBody { get; init; }

    /// <summary>The trace of the request, so sending it and the events it causes join the engine's trace.</summary>
    public string? TraceParent { get; init; }

    public string Status { get; init; } = DeliveryStatus.Pending;
    public int Attempts { get; init; }

    /// <summary>Attempts since the delivery was created or last retried by hand; dead-lettering counts these.</summary>
    public int RoundAttempts { get; init; }

    public string? LastError { get; init; }
    public string? DeferredReason { get; init; }
    public long NextAttemptAt { get; init; }
    public long? LeaseUntil { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    public long? SentAt { get; init; }

    public OutgoingNotification ToOutgoing() =>
        new(Id, Channel, AccountId, InstanceId, Recipient, RecipientName, WebhookUrl, Subject, TextBody ?? "", HtmlBody);
}
