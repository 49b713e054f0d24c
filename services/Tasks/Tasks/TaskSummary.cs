namespace Playbooks.Tasks;

/// <summary>A task as a CSM's list shows it, and what its events report.</summary>
/// <param name="Overdue">Past due while still open or snoozed; stays set once <c>task.overdue</c> was published.</param>
/// <param name="Outcomes">The outcomes completing may record; empty when the task takes none.</param>
public sealed record TaskSummary(
    string Id,
    string Title,
    string? Description,
    string Status,
    bool Overdue,
    string Priority,
    string? Assignee,
    string? Team,
    DateTimeOffset? DueAt,
    DateTimeOffset? SnoozedUntil,
    IReadOnlyList<string> Outcomes,
    string AccountId,
    string AccountName,
    string InstanceId,
    string ActivityId,
    string DefinitionId,
    int DefinitionVersion,
    string PlaybookName,
    string? Outcome,
    string? Note,
    string? ClosedBy,
    DateTimeOffset? ClosedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
