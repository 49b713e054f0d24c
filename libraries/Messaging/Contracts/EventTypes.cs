namespace Playbooks.Messaging.Contracts;

/// <summary>The names of the events the services exchange on the bus.</summary>
public static class EventTypes
{
    // Engine → Tasks
    public const string TaskRequested = "task.requested";
    public const string TaskEscalationRequested = "task.escalation.requested";
    public const string InstanceTasksCancellationRequested = "task.cancellation.requested";

    // Tasks → Engine, Metrics
    public const string TaskCreated = "task.created";
    public const string TaskCompleted = "task.completed";
    public const string TaskOverdue = "task.overdue";
    public const string TaskCancelled = "task.cancelled";

    // Engine → Notifications
    public const string NotificationRequested = "notification.requested";

    // Notifications → Engine, Metrics
    public const string NotificationSent = "notification.sent";
    public const string NotificationFailed = "notification.failed";

    // Engine → Metrics: the life of a playbook run
    public const string InstanceStarted = "playbook.started";
    public const string InstanceCompleted = "playbook.completed";
    public const string InstanceExited = "playbook.exited";
    public const string InstanceFaulted = "playbook.faulted";
    public const string InstanceCancelled = "playbook.cancelled";
    public const string ActivitiesReached = "playbook.activities.reached";
    /// <summary>One activity reached: no longer sent (see <see cref="ActivitiesReached"/>), still folded when replayed.</summary>
    public const string ActivityReached = "playbook.activity.reached";
    public const string GoalReached = "playbook.goal.reached";

    /// <summary>Account events ingested by the engine (e.g. <c>usage.dropped</c>) are republished under their own type with this source.</summary>
    public const string AccountEventSource = "account";
}
