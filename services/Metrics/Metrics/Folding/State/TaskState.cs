namespace Playbooks.Metrics.Folding.State;

/// <summary>What the fold remembers of a task (a row of <c>metric_tasks</c>): enough to count each change once and to know which tasks are overdue now.</summary>
internal sealed class TaskState
{
    public string TaskId { get; set; } = "";
    public long? CreatedAt { get; set; }
    public long? OverdueAt { get; set; }
    public long? ClosedAt { get; set; }

    public bool Dirty { get; set; }

    public object?[] Row => [TaskId, CreatedAt, OverdueAt, ClosedAt];

    public static readonly string[] Columns = ["task_id", "created_at", "overdue_at", "closed_at"];

    public const string Select = "SELECT task_id AS TaskId, created_at AS CreatedAt, overdue_at AS OverdueAt, closed_at AS ClosedAt FROM metric_tasks";
}
