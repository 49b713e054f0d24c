using System.Text.Json.Nodes;

namespace Playbooks.Engine.Execution;

/// <summary>
/// Everything a run needs to continue, stored as one row: a waiting instance holds no memory in the process.
/// The journal (history) lives in its own table, so this stays small however long the run gets.
/// </summary>
public sealed class InstanceState
{
    public required string Id { get; init; }
    public required string DefinitionId { get; init; }
    public required int Version { get; init; }
    public required string AccountId { get; init; }
    public InstanceStatus Status { get; set; } = InstanceStatus.Running;
    public JsonObject Variables { get; set; } = [];
    public JsonObject Outputs { get; set; } = [];
    public JsonNode? TriggerEvent { get; set; }
    public List<Bookmark> Bookmarks { get; set; } = [];
    /// <summary>Activities scheduled but not run yet (kept when an activity faults so a retry carries on with them).</summary>
    public List<ScheduledActivity> Scheduled { get; set; } = [];
    /// <summary>For each Join: which incoming activities have arrived.</summary>
    public Dictionary<string, List<string>> JoinArrivals { get; set; } = [];
    /// <summary>How often each activity has run: a task made on a second visit (a loop) is a new task.</summary>
    public Dictionary<string, int> Visits { get; set; } = [];
    public InstanceFault? Fault { get; set; }
    public string? EndReason { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public int Revision { get; set; }

    public bool IsFinished => Status is InstanceStatus.Completed or InstanceStatus.Exited or InstanceStatus.Cancelled;
}

public sealed record ScheduledActivity(string ActivityId, string? From);

public sealed record InstanceFault(string ActivityId, string Message, DateTimeOffset At);
