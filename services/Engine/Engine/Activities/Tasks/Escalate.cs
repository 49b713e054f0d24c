using System.Text.Json;
using Playbooks.Engine.Execution;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Activities.Tasks;

/// <summary>Raises a task's priority and tells the account owner's manager, by chat and email.</summary>
public sealed class Escalate : Activity
{
    public const string ManagerTemplate = "escalation-to-manager";

    public override ActivityDescriptor Descriptor { get; } = new("Escalate", "Tasks", "Escalate",
        "Raises the priority of a task this run created and notifies the CSM's manager.",
        [
            new("task", "Task", InputKind.Text, "The CreateTask activity whose task to raise (optional)"),
            new("priority", "Priority", InputKind.Choice, "", Options: ["high", "urgent"], Default: InputDescriptor.Json("urgent")),
            new("reason", "Reason", InputKind.Template, "e.g. Second kickoff no-show for {{ account.name }}", Required: true),
            new("notifyManager", "Notify manager", InputKind.Boolean, "", Default: InputDescriptor.Json(true)),
        ],
        [Done]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var reason = context.Text("reason") ?? "Escalated";
        if (context.Text("task") is { Length: > 0 } task)
            context.Emit(EventTypes.TaskEscalationRequested, new TaskEscalationRequested(context.Instance.Id, CreateTask.CurrentTaskRef(context, task), context.Text("priority") ?? "urgent", reason));
        if (context.Flag("notifyManager") ?? true)
        {
            var variables = JsonSerializer.SerializeToElement(new { reason, playbook = context.Playbook.Definition.Name }, JsonSerializerOptions.Web);
            foreach (var channel in new[] { "email", "chat" })
                context.Emit(EventTypes.NotificationRequested, new NotificationRequested(
                    context.Instance.Id, $"{context.Node.Id}:{channel}", context.Playbook.DefinitionId, context.Playbook.Definition.Name,
                    context.Account, channel, ManagerTemplate, [new RecipientRule("manager")], variables));
        }
        return ValueTask.FromResult(ActivityResult.Complete(Done));
    }
}
