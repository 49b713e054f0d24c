using System.Text.Json;
using System.Text.Json.Nodes;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Execution;

namespace Playbooks.Engine.Activities.Tasks;

/// <summary>
/// Waits for the CSM's outcome on a task a CreateTask made: one port per allowed outcome, plus Overdue (taken only
/// if connected; otherwise the wait goes on past the due date) and Timeout.
/// </summary>
public sealed class WaitForTask : Activity
{
    public const string Overdue = "Overdue";
    public const string Timeout = "Timeout";

    public override ActivityDescriptor Descriptor { get; } = new("WaitForTask", "Tasks", "Wait for task",
        "Waits for the outcome the CSM records on a task.",
        [
            new("task", "Task", InputKind.Text, "The id of the CreateTask activity whose task to wait for", Required: true),
            new("timeout", "Timeout", InputKind.Duration, "ISO 8601; empty waits until the CSM acts"),
        ],
        [Overdue, Timeout], CanWait: true, DynamicOutcomes: "one port per outcome the task allows");

    public override IReadOnlyList<string> OutcomesOf(ActivityNode node, PlaybookDefinition definition) =>
        [.. TaskOutcomes(node, definition), Overdue, Timeout];

    public override IEnumerable<string> Check(ActivityNode node, PlaybookDefinition definition)
    {
        if (!node.Inputs.TryGetValue("task", out var task) || task.ValueKind != JsonValueKind.String) yield break;
        var target = definition.Activities.FirstOrDefault(a => a.Id == task.GetString());
        if (target is null || target.Type != "CreateTask")
            yield return $"'task' must name a CreateTask activity; '{task.GetString()}' is {(target is null ? "not an activity" : $"a {target.Type}")}";
    }

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var taskRef = CreateTask.CurrentTaskRef(context, context.Text("task")!);
        var bookmarks = new List<Bookmark> { new(context.NewId(), context.Node.Id, Bookmark.Task, Bookmark.TaskKey(context.Instance.Id, taskRef)) };
        if (context.Duration("timeout") is { } timeout)
            bookmarks.Add(new Bookmark(context.NewId(), context.Node.Id, Bookmark.Timer, Bookmark.Timer, context.Now + timeout));
        return ValueTask.FromResult(ActivityResult.Wait([.. bookmarks]));
    }

    public override ValueTask<ActivityResult> ResumeAsync(ActivityContext context, Bookmark bookmark, Stimulus stimulus)
    {
        var result = stimulus.Kind switch
        {
            Stimulus.TimerDue => ActivityResult.Complete(Timeout),
            Stimulus.TaskOverdue => context.Playbook.HasConnection(context.Node.Id, Overdue) ? ActivityResult.Complete(Overdue) : ActivityResult.KeepWaiting,
            _ => Completed(context, stimulus),
        };
        return ValueTask.FromResult(result);
    }

    private static ActivityResult Completed(ActivityContext context, Stimulus stimulus)
    {
        var outcome = stimulus.Payload?["outcome"]?.GetValue<string>();
        var allowed = TaskOutcomes(context.Node, context.Playbook.Definition);
        var match = allowed.FirstOrDefault(o => string.Equals(o, outcome, StringComparison.OrdinalIgnoreCase));
        return match is null
            ? ActivityResult.Fault($"The task was completed with '{outcome}', which is not one of its outcomes ({string.Join(", ", allowed)}).")
            : ActivityResult.Complete(match, stimulus.Payload?.DeepClone() ?? new JsonObject());
    }

    private static IReadOnlyList<string> TaskOutcomes(ActivityNode node, PlaybookDefinition definition)
    {
        if (!node.Inputs.TryGetValue("task", out var task) || task.ValueKind != JsonValueKind.String) return [];
        var create = definition.Activities.FirstOrDefault(a => a.Id == task.GetString() && a.Type == "CreateTask");
        if (create is null) return [];
        return create.Inputs.TryGetValue("outcomes", out var outcomes) && outcomes.ValueKind == JsonValueKind.Array
            ? outcomes.EnumerateArray().Select(o => o.GetString() ?? "").ToList()
            : ["done"];
    }
}
