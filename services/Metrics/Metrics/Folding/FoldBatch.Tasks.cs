using Playbooks.Messaging.Contracts;
using Playbooks.Metrics.Folding.State;
using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Folding;

/// <summary>Tasks per CSM (assignee) and team: created, completed, on time, overdue, time to complete.</summary>
internal sealed partial class FoldBatch
{
    private void OnTaskChanged(FoldEvent e, TaskChanged change)
    {
        var task = TaskOf(change.TaskId);
        object[] owner = [change.Assignee ?? "", change.Team ?? ""];
        switch (e.Type)
        {
            case EventTypes.TaskCreated when task.CreatedAt is null:
                task.CreatedAt = e.At;
                Deltas.Count(BucketTables.Tasks, UnixDay.Of(e.At), owner, "created");
                break;
            case EventTypes.TaskCompleted when task.ClosedAt is null:
                Complete(task, change, e, owner);
                break;
            case EventTypes.TaskOverdue when task.OverdueAt is null:
                task.OverdueAt = e.At;
                Deltas.Count(BucketTables.Tasks, UnixDay.Of(e.At), owner, "overdue");
                break;
            case EventTypes.TaskCancelled when task.ClosedAt is null:
                task.ClosedAt = e.At;
                Deltas.Count(BucketTables.Tasks, UnixDay.Of(e.At), owner, "cancelled");
                break;
            default:
                return;
        }
        task.Dirty = true;
    }

    private void Complete(TaskState task, TaskChanged change, FoldEvent e, object[] owner)
    {
        var completedAt = change.CompletedAt?.ToUnixTimeMilliseconds() ?? e.At;
        task.ClosedAt = completedAt;
        var day = UnixDay.Of(completedAt);
        Deltas.Count(BucketTables.Tasks, day, owner, "completed");
        if (change.DueAt is { } due)
        {
            Deltas.Count(BucketTables.Tasks, day, owner, "completed_with_due");
            if (completedAt <= due.ToUnixTimeMilliseconds()) Deltas.Count(BucketTables.Tasks, day, owner, "completed_on_time");
        }
        if (change.CreatedAt != default)
            Deltas.Sample(BucketTables.TaskCompletion, day, owner, completedAt - change.CreatedAt.ToUnixTimeMilliseconds());
    }

    private TaskState TaskOf(string taskId)
    {
        if (!Tasks.TryGetValue(taskId, out var task)) Tasks[taskId] = task = new TaskState { TaskId = taskId };
        return task;
    }
}
