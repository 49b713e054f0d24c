using Playbooks.Messaging.Contracts;

namespace Playbooks.Tasks.Storage;

/// <summary>
/// Where tasks live. Every change commits its history and its outgoing events (through the outbox) together;
/// changes made for an incoming event also record the event in the inbox, so a redelivery changes nothing.
/// The SQL implementation is written to run on SQLite (embedded) and PostgreSQL (distributed).
/// </summary>
public interface ITaskStore
{
    /// <summary>
    /// The new task (null when the event or the run's activity already made one), and whether the run's end was handled
    /// already: its cancellation came first, so the task's run is over (a retried request, or two replicas).
    /// </summary>
    Task<TaskCreation> CreateAsync(string eventId, TaskRequested request, CancellationToken cancellationToken);

    /// <summary>The escalated task, or null when the event was seen before or no active task matches.</summary>
    Task<TaskSummary?> EscalateAsync(string eventId, TaskEscalationRequested request, CancellationToken cancellationToken);

    /// <summary>The run's tasks that this cancelled (those still open or snoozed).</summary>
    Task<IReadOnlyList<TaskSummary>> CancelInstanceAsync(string eventId, InstanceTasksCancellationRequested request, CancellationToken cancellationToken);

    Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken);

    Task<TaskDetail?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Null when the task is no longer open or snoozed (someone closed it first).</summary>
    Task<TaskSummary?> CompleteAsync(string id, string? outcome, string? note, string actor, CancellationToken cancellationToken);

    /// <summary>Null when the task is no longer open or snoozed.</summary>
    Task<TaskSummary?> SnoozeAsync(string id, DateTimeOffset until, string actor, CancellationToken cancellationToken);

    /// <summary>Null when the task is no longer open or snoozed.</summary>
    Task<TaskSummary?> ReassignAsync(string id, string assignee, string? reason, string actor, CancellationToken cancellationToken);

    /// <summary>False when the task is no longer open or snoozed.</summary>
    Task<bool> SetChecklistItemAsync(string id, int item, bool done, string actor, CancellationToken cancellationToken);

    Task<TaskComment> AddCommentAsync(string id, string text, string author, CancellationToken cancellationToken);

    /// <summary>Returns snoozed tasks whose snooze has ended to open; how many it woke (at most <paramref name="limit"/>).</summary>
    Task<int> WakeSnoozedAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Marks active tasks past due and publishes <c>task.overdue</c> for each; how many (at most <paramref name="limit"/>).</summary>
    Task<int> MarkOverdueAsync(int limit, CancellationToken cancellationToken);

    /// <summary>The earliest time at which a task becomes overdue or a snooze ends; null when nothing is waiting.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);
}

/// <param name="Created">The new task, or null when the event or the run's activity already made one.</param>
/// <param name="RunEnded">The run's cancellation was handled before this request: its open tasks are to be cancelled.</param>
public sealed record TaskCreation(TaskSummary? Created, bool RunEnded);
