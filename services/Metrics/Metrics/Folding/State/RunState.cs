namespace Playbooks.Metrics.Folding.State;

/// <summary>What the fold remembers of a playbook run (a row of <c>metric_runs</c>).</summary>
internal sealed class RunState
{
    public const string Running = "running";

    public string InstanceId { get; set; } = "";
    public string DefinitionId { get; set; } = "";
    public long Version { get; set; }
    public string AccountId { get; set; } = "";

    /// <summary>The account's segment when the fold first saw the run, so every figure of the run lands in one segment.</summary>
    public string Segment { get; set; } = "";

    public string? Variant { get; set; }
    public long StartedAt { get; set; }

    /// <summary>1 once <c>playbook.started</c> was counted (a run may first be seen through a later event).</summary>
    public long StartCounted { get; set; }

    public string Status { get; set; } = Running;
    public long? EndedAt { get; set; }
    public long? FaultedAt { get; set; }
    public long? GoalAt { get; set; }
    public string? LastActivity { get; set; }
    public string? LastActivityType { get; set; }

    public bool Dirty { get; set; }

    public object?[] Row => [InstanceId, DefinitionId, Version, AccountId, Segment, Variant, StartedAt, StartCounted, Status, EndedAt, FaultedAt, GoalAt, LastActivity, LastActivityType];

    public static readonly string[] Columns =
        ["instance_id", "definition_id", "version", "account_id", "segment", "variant", "started_at", "start_counted", "status", "ended_at", "faulted_at", "goal_at", "last_activity", "last_activity_type"];

    public const string Select =
        """
        SELECT instance_id AS InstanceId, definition_id AS DefinitionId, version AS Version, account_id AS AccountId, segment AS Segment,
            variant AS Variant, started_at AS StartedAt, start_counted AS StartCounted, status AS Status, ended_at AS EndedAt,
            faulted_at AS FaultedAt, goal_at AS GoalAt, last_activity AS LastActivity, last_activity_type AS LastActivityType
        FROM metric_runs
        """;
}
