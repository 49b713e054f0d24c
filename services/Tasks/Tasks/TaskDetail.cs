namespace Playbooks.Tasks;

/// <summary>One task with everything that happened to it, oldest first.</summary>
public sealed record TaskDetail(
    TaskSummary Task,
    IReadOnlyList<ChecklistItem> Checklist,
    IReadOnlyList<TaskComment> Comments,
    IReadOnlyList<TaskHistoryEntry> History);

/// <param name="Item">The item's number, from 1, as <c>PUT /api/tasks/{id}/checklist/{item}</c> takes it.</param>
public sealed record ChecklistItem(int Item, string Text, bool Done, string? DoneBy, DateTimeOffset? DoneAt);

public sealed record TaskComment(long Id, string Author, string Text, DateTimeOffset CreatedAt);

/// <param name="Kind">created, assigned, reassigned, snoozed, woke, overdue, escalated, checklist, completed, cancelled.</param>
/// <param name="From">The value before the change, where there is one (e.g. the previous assignee).</param>
/// <param name="To">The value after the change.</param>
public sealed record TaskHistoryEntry(DateTimeOffset At, string Actor, string Kind, string Detail, string? From, string? To);
