using System.Text.Json;

namespace Playbooks.Tasks.Storage;

/// <summary>A <c>tasks</c> row as <see cref="Columns"/> selects it.</summary>
internal sealed class TaskRow
{
    // Aliases rather than Dapper's global underscore matching: other services share the process in embedded mode.
    public const string Columns = """
        id AS Id, title AS Title, description AS Description, status AS Status, overdue_at AS OverdueAt, priority AS Priority,
        assignee AS Assignee, team AS Team, due_at AS DueAt, snoozed_until AS SnoozedUntil, outcomes AS Outcomes,
        account_id AS AccountId, account_name AS AccountName, instance_id AS InstanceId, activity_id AS ActivityId,
        definition_id AS DefinitionId, definition_version AS DefinitionVersion, playbook_name AS PlaybookName,
        outcome AS Outcome, note AS Note, closed_by AS ClosedBy, closed_at AS ClosedAt, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    public string Id { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Description { get; init; }
    public string Status { get; init; } = "";
    public long? OverdueAt { get; init; }
    public string Priority { get; init; } = "";
    public string? Assignee { get; init; }
    public string? Team { get; init; }
    public long? DueAt { get; init; }
    public long? SnoozedUntil { get; init; }
    public string Outcomes { get; init; } = "[]";
    public string AccountId { get; init; } = "";
    public string AccountName { get; init; } = "";
    public string InstanceId { get; init; } = "";
    public string ActivityId { get; init; } = "";
    public string DefinitionId { get; init; } = "";
    public long DefinitionVersion { get; init; }
    public string PlaybookName { get; init; } = "";
    public string? Outcome { get; init; }
    public string? Note { get; init; }
    public string? ClosedBy { get; init; }
    public long? ClosedAt { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }

    public TaskSummary ToSummary() => new(
        Id, Title, Description, Status, OverdueAt is not null && TaskStatuses.IsActive(Status), Priority, Assignee, Team,
        UnixTime.FromMs(DueAt), UnixTime.FromMs(SnoozedUntil), JsonSerializer.Deserialize<string[]>(Outcomes) ?? [],
        AccountId, AccountName, InstanceId, ActivityId, DefinitionId, (int)DefinitionVersion, PlaybookName,
        Outcome, Note, ClosedBy, UnixTime.FromMs(ClosedAt), UnixTime.FromMs(CreatedAt), UnixTime.FromMs(UpdatedAt));
}
