using System.Text.Json.Nodes;
using Playbooks.Engine.Activities.Timing;
using Playbooks.Engine.Execution;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Activities.Tasks;

/// <summary>Asks the Tasks service (over the bus) for a task for a CSM; a WaitForTask then waits for its outcome.</summary>
public sealed class CreateTask : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new("CreateTask", "Tasks", "Create task",
        "Creates a task in a CSM's inbox: title and description templates, who gets it, when it is due, the outcomes they can record.",
        [
            new("title", "Title", InputKind.Template, "e.g. Hold kickoff with {{ account.name }}", Required: true),
            new("description", "Description", InputKind.Template, "What the CSM should do"),
            new("assignee", "Assignee", InputKind.Object, "{ \"kind\": \"owner\" | \"manager\" | \"user\" | \"queue\", \"user\", \"queue\", \"strategy\": \"round-robin\" | \"least-loaded\" }",
                Default: InputDescriptor.Json(new { kind = "owner" })),
            new("dueIn", "Due in", InputKind.Duration, "ISO 8601, e.g. P2D"),
            new("dueInBusinessDays", "Due in business days", InputKind.Number, "Working days until due"),
            new("calendar", "Holiday calendar", InputKind.Choice, "For business days", Options: ["weekdays", "jp"], Default: InputDescriptor.Json("weekdays")),
            new("priority", "Priority", InputKind.Choice, "", Options: ["low", "normal", "high", "urgent"], Default: InputDescriptor.Json("normal")),
            new("outcomes", "Outcomes", InputKind.List, "What the CSM can record, e.g. [\"held\", \"rescheduled\", \"no-show\"]", Default: InputDescriptor.Json(new[] { "done" })),
            new("checklist", "Checklist", InputKind.List, "Items to tick"),
        ],
        [Done]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var due = DueAt(context);
        var outcomes = context.List("outcomes");
        var taskRef = TaskRef(context.Node.Id, context.Instance.Visits.GetValueOrDefault(context.Node.Id, 1));
        var request = new TaskRequested(
            context.Instance.Id, taskRef, context.Playbook.DefinitionId, context.Playbook.Version, context.Playbook.Definition.Name,
            context.Account, context.Text("title") ?? context.Node.Id, context.Text("description"),
            context.Object<AssigneeRule>("assignee") ?? new AssigneeRule("owner"), due, context.Text("priority") ?? "normal",
            outcomes, context.List("checklist"));
        context.Emit(EventTypes.TaskRequested, request);
        var output = new JsonObject
        {
            ["taskRef"] = taskRef,
            ["title"] = request.Title,
            ["dueAt"] = due?.ToString("O"),
            ["assignee"] = request.Assignee.Kind == "owner" ? context.Account.OwnerCsm : request.Assignee.User ?? request.Assignee.Queue ?? request.Assignee.Kind,
            ["outcomes"] = new JsonArray([.. outcomes.Select(o => (JsonNode?)JsonValue.Create(o))]),
        };
        return ValueTask.FromResult(ActivityResult.Complete(Done, output));
    }

    /// <summary>
    /// Identifies the task to the Tasks service: the activity id, with the visit number from the second visit on,
    /// so a loop (a rescheduled kickoff) makes a new task while a redelivered request still makes none.
    /// </summary>
    public static string TaskRef(string activityId, int visit) => visit <= 1 ? activityId : $"{activityId}#{visit}";

    /// <summary>The task a CreateTask activity made most recently in this run.</summary>
    public static string CurrentTaskRef(ActivityContext context, string createTaskActivityId) =>
        context.Instance.Outputs[createTaskActivityId]?["taskRef"]?.GetValue<string>() ?? createTaskActivityId;

    private static DateTimeOffset? DueAt(ActivityContext context)
    {
        if (context.Duration("dueIn") is { } dueIn) return context.Now + dueIn;
        if (context.Number("dueInBusinessDays") is not { } days) return null;
        var calendarName = context.Text("calendar");
        if (!context.Calendars.TryGet(calendarName, out var calendar))
            throw new InvalidOperationException($"Unknown holiday calendar '{calendarName}'.");
        return calendar.AddBusinessDays(context.Now, (int)days, AccountZone.Of(context.Account));
    }
}
