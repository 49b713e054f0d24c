using System.Diagnostics;
using Playbooks.Messaging.Contracts;
using Playbooks.Notifications.Channels;
using Playbooks.Notifications.Recipients;
using Playbooks.Notifications.Templates;

namespace Playbooks.Notifications.Delivery;

/// <summary>
/// Turns a notification request into one delivery per recipient, rendered now. What cannot be sent (an unknown template,
/// an invalid address, a role nobody has) becomes a rejected delivery with the reason, so it is visible and reported, not dropped.
/// </summary>
public sealed class DeliveryPlanner(TemplateStore templates, TemplateRenderer renderer, RecipientResolver recipients, TimeProvider time)
{
    public async Task<DeliveryPlan> PlanAsync(NotificationRequested request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var problems = new List<PlanProblem>();
        if (string.IsNullOrWhiteSpace(request.InstanceId)) problems.Add(new("instanceId", "The request needs the playbook instance's id."));
        if (string.IsNullOrWhiteSpace(request.ActivityId)) problems.Add(new("activityId", "The request needs the activity's id."));
        if (request.Account is null || string.IsNullOrWhiteSpace(request.Account.Id)) problems.Add(new("account", "The request needs the account snapshot, with its id."));
        // Without these there is no (instance, activity) key to record a refusal under.
        if (problems.Count > 0) return new DeliveryPlan([], problems);

        if (request.Recipients?.Any(rule => rule is null) == true) problems.Add(new("recipients", "A recipient rule is empty (null); remove it or say who should get the message."));
        // A null contact names nobody; left in, it failed the whole request on every attempt.
        request = request with
        {
            Account = request.Account! with { Contacts = [.. (request.Account.Contacts ?? []).Where(contact => contact is not null)] },
            Recipients = [.. (request.Recipients ?? []).Where(rule => rule is not null)],
        };
        if (!ChannelNames.IsKnown(request.Channel)) problems.Add(new("channel", ChannelNames.Unknown(request.Channel)));
        var template = string.IsNullOrWhiteSpace(request.Template) ? null : await templates.FindRecentAsync(request.Template, cancellationToken);
        if (template is null)
            problems.Add(new("template", $"Unknown template '{request.Template}'. Create it at /api/notifications/templates or use a shipped one, e.g. '{ShippedTemplates.WelcomeEmail}'."));
        else if (ChannelNames.IsKnown(request.Channel) && template.Channel != request.Channel)
            problems.Add(new("template", $"Template '{template.Id}' is for {template.Channel}, but the request asks for {request.Channel}."));
        if (problems.Count > 0)
            return new DeliveryPlan([Rejected(request, recipient: "", string.Join(" ", problems.Select(p => p.Message)), now)], problems);

        var rows = new List<DeliveryRecord>();
        var (resolved, refused) = recipients.Resolve(request.Account, request.Channel, request.Recipients);
        foreach (var refusal in refused)
        {
            problems.Add(new(refusal.Field, refusal.Message));
            rows.Add(Rejected(request, refusal.Key, refusal.Message, now));
        }

        var compiled = renderer.Compile(template!);
        var shared = TemplateModel.Shared(request);
        foreach (var recipient in resolved)
        {
            try
            {
                var message = compiled.Render(TemplateModel.ForRecipient(shared, recipient.Contact));
                rows.Add(Pending(request, template!, recipient, message, now));
            }
            // A helper's own failure too (formatDate with a malformed format): rendering reads nothing but the template
            // and the request, so no retry can help, and the rest of the request still goes.
            catch (Exception error) when (error is not OperationCanceledException)
            {
                var reason = $"Template '{template!.Id}' failed to render for {recipient.Address}: {error.Message}";
                problems.Add(new("template", reason));
                rows.Add(Rejected(request, recipient.Address, reason, now));
            }
        }
        return new DeliveryPlan(rows, problems);
    }

    private static DeliveryRecord Pending(NotificationRequested request, NotificationTemplate template, Recipient recipient, RenderedMessage message, long now) => new()
    {
        Id = NewId(),
        InstanceId = request.InstanceId,
        ActivityId = request.ActivityId,
        Recipient = recipient.Address,
        DefinitionId = request.DefinitionId ?? "",
        PlaybookName = request.PlaybookName ?? "",
        AccountId = request.Account.Id,
        Channel = request.Channel,
        TemplateId = template.Id,
        RecipientName = recipient.Name,
        Audience = recipient.Audience == Audience.Customer ? "customer" : "team",
        WebhookUrl = recipient.WebhookUrl,
        TimeZone = request.Account.TimeZone,
        Urgent = template.Urgent ? 1 : 0,
        Subject = message.Subject,
        TextBody = message.Text,
        HtmlBody = message.Html,
        TraceParent = Activity.Current?.Id,
        Status = DeliveryStatus.Pending,
        NextAttemptAt = now,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static DeliveryRecord Rejected(NotificationRequested request, string recipient, string reason, long now) => new()
    {
        Id = NewId(),
        InstanceId = request.InstanceId,
        ActivityId = request.ActivityId,
        Recipient = recipient,
        DefinitionId = request.DefinitionId ?? "",
        PlaybookName = request.PlaybookName ?? "",
        AccountId = request.Account.Id,
        Channel = request.Channel ?? "",
        TemplateId = request.Template ?? "",
        Audience = "",
        TimeZone = request.Account.TimeZone,
        TraceParent = Activity.Current?.Id,
        Status = DeliveryStatus.Rejected,
        LastError = reason,
        NextAttemptAt = now,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static string NewId() => Guid.CreateVersion7().ToString("N");
}
