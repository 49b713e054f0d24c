using System.Text.Json;
using Playbooks.Engine.Execution;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Activities.Messaging;

/// <summary>Asks the Notifications service to render a template and deliver it, once per recipient.</summary>
public sealed class SendNotification : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new("SendNotification", "Messaging", "Send notification",
        "Sends a templated email, chat message or in-app message to the account's people.",
        [
            new("channel", "Channel", InputKind.Choice, "", Required: true, Options: ["email", "chat", "in-app"]),
            new("template", "Template", InputKind.Text, "Template id, e.g. welcome-email", Required: true),
            new("recipients", "Recipients", InputKind.Object,
                "[{ \"kind\": \"owner\" | \"manager\" | \"contacts\" | \"address\" | \"user\", \"role\": \"admin\", \"address\": \"…\", \"user\": \"…\" }]", Required: true),
            new("variables", "Variables", InputKind.Object, "Extra values for the template, e.g. { \"helpLink\": \"https://…\" }"),
        ],
        [Done]);

    public override IEnumerable<string> Check(Definitions.ActivityNode node, Definitions.PlaybookDefinition definition)
    {
        if (node.Inputs.TryGetValue("recipients", out var recipients) && !CompiledInput.IsScript(recipients, out _)
            && (recipients.ValueKind != JsonValueKind.Array || recipients.GetArrayLength() == 0))
            yield return "recipients must be a non-empty list such as [{ \"kind\": \"contacts\", \"role\": \"admin\" }]";
    }

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var recipients = context.Object<List<RecipientRule>>("recipients") ?? [];
        var variables = context.Value("variables") is { } vars ? JsonSerializer.SerializeToElement(vars) : JsonSerializer.SerializeToElement(new { });
        context.Emit(EventTypes.NotificationRequested, new NotificationRequested(
            context.Instance.Id, context.Node.Id, context.Playbook.DefinitionId, context.Playbook.Definition.Name, context.Account,
            context.Text("channel")!, context.Text("template")!, recipients, variables));
        return ValueTask.FromResult(ActivityResult.Complete(Done));
    }
}
