namespace Playbooks.Engine.Definitions;

/// <summary>What starts a run of the playbook for an account.</summary>
public sealed record TriggerDefinition
{
    /// <summary><c>event</c>, <c>schedule</c>, <c>date</c>, <c>threshold</c> or <c>manual</c>.</summary>
    public string Kind { get; init; } = "";

    /// <summary>event: the account event type, e.g. <c>contract.signed</c>.</summary>
    public string? EventType { get; init; }

    /// <summary>event, schedule: a JavaScript condition over <c>account</c> and <c>event</c> that must hold.</summary>
    public string? Condition { get; init; }

    /// <summary>schedule: a cron expression (5 fields, UTC).</summary>
    public string? Cron { get; init; }

    /// <summary>date, threshold: the account field, e.g. <c>renewalDate</c> or <c>healthScore</c>.</summary>
    public string? Field { get; init; }

    /// <summary>date: days relative to the field's date; negative is before (e.g. -90).</summary>
    public int? OffsetDays { get; init; }

    /// <summary>threshold: <c>below</c> or <c>above</c>.</summary>
    public string? Direction { get; init; }

    /// <summary>threshold: the line the field crosses.</summary>
    public double? Value { get; init; }
}

/// <summary>How often an account may be in the playbook, and what ends a run early.</summary>
public sealed record EnrolmentRules
{
    /// <summary>Running instances allowed per account at once (default 1).</summary>
    public int MaxActivePerAccount { get; init; } = 1;

    /// <summary>With <see cref="PeriodDays"/>: at most this many runs per account per period.</summary>
    public int? MaxRunsPerPeriod { get; init; }

    public int? PeriodDays { get; init; }

    /// <summary>After a run ends, the account is snoozed in this playbook for this many days.</summary>
    public int? SnoozeDaysAfterRun { get; init; }

    /// <summary>Account events that end a running instance (it exits; its open tasks are cancelled).</summary>
    public IReadOnlyList<ExitCondition> ExitOn { get; init; } = [];
}

public sealed record ExitCondition
{
    public string EventType { get; init; } = "";
    public string? Condition { get; init; }
}

/// <summary>What success means for the playbook, measured by the metrics service.</summary>
public sealed record GoalDefinition
{
    public string EventType { get; init; } = "";
    public int WithinDays { get; init; }
    public string? Condition { get; init; }
}
