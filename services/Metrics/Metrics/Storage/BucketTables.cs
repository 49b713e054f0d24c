namespace Playbooks.Metrics.Storage;

/// <summary>The pre-aggregated buckets each KPI reads, per day and per week; the dimensions are what the KPI can be grouped by.</summary>
internal static class BucketTables
{
    /// <summary>started and goal_reached on the run's start day (a cohort), the others on the day they happened.</summary>
    public static readonly CounterTable Runs = new("metric_run_day",
        ["definition_id", "version", "segment"], ["started", "completed", "exited", "faulted", "cancelled", "goal_reached"]);

    /// <summary>On the run's start day: runs that reached the activity, and runs that left (exited, cancelled) with it as their last step.</summary>
    public static readonly CounterTable Steps = new("metric_step_day",
        ["definition_id", "version", "activity_id", "activity_type"], ["reached", "dropped"]);

    /// <summary>On the run's start day: runs once their variant is known, and those of them that reached the goal.</summary>
    public static readonly CounterTable Variants = new("metric_variant_day",
        ["definition_id", "version", "variant"], ["runs", "goal_reached"]);

    public static readonly CounterTable Tasks = new("metric_task_day",
        ["assignee", "team"], ["created", "completed", "completed_with_due", "completed_on_time", "overdue", "cancelled"]);

    public static readonly CounterTable Notifications = new("metric_notification_day", ["channel"], ["sent", "failed"]);

    /// <summary>On the day the incident opened, per affected account.</summary>
    public static readonly CounterTable Incidents = new("metric_incident_day",
        ["severity"], ["opened", "noticed", "updates", "timed_updates", "on_cadence"]);

    /// <summary>Durations of runs that completed or exited, on the day they ended; also per version and per playbook.</summary>
    public static readonly SketchTable RunDurations = new("metric_run_duration_day", ["definition_id", "version", "segment"],
        [new("metric_run_duration_by_version_day", ["definition_id", "version"]), new("metric_run_duration_by_playbook_day", ["definition_id"])]);

    /// <summary>Created → completed, on the day of completion; also per team.</summary>
    public static readonly SketchTable TaskCompletion = new("metric_task_completion_day", ["assignee", "team"],
        [new("metric_task_completion_by_team_day", ["team"])]);

    /// <summary>Incident opened → first customer notice, on the day the incident opened.</summary>
    public static readonly SketchTable FirstNotice = new("metric_first_notice_day", ["severity"]);

    public static readonly IReadOnlyList<CounterTable> Counters = [Runs, Steps, Variants, Tasks, Notifications, Incidents];

    public static readonly IReadOnlyList<SketchTable> Sketches = [RunDurations, TaskCompletion, FirstNotice];

    /// <summary>metric_run_day → metric_run_week.</summary>
    public static string WeekNameOf(string dayTable) =>
        dayTable.EndsWith("_day", StringComparison.Ordinal) ? $"{dayTable[..^4]}_week" : throw new ArgumentException($"{dayTable} is not a daily table.", nameof(dayTable));
}
