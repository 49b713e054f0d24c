namespace Playbooks.Messaging.Contracts;

/// <summary>Who a requested task goes to.</summary>
/// <param name="Kind"><c>owner</c> (the account's CSM), <c>manager</c> (the CSM's manager), <c>user</c> or <c>queue</c>.</param>
/// <param name="User">The named user for <c>user</c>.</param>
/// <param name="Queue">The team or role queue for <c>queue</c>.</param>
/// <param name="Strategy"><c>round-robin</c> or <c>least-loaded</c> for <c>queue</c>.</param>
public sealed record AssigneeRule(string Kind, string? User = null, string? Queue = null, string? Strategy = null);

/// <summary>The engine's CreateTask activity asks the Tasks service for one task; (InstanceId, ActivityId) identifies it.</summary>
public sealed record TaskRequested(
    string InstanceId,
    string ActivityId,
    string DefinitionId,
    int Version,
    string PlaybookName,
    AccountSnapshot Account,
    string Title,
    string? Description,
    AssigneeRule Assignee,
    DateTimeOffset? DueAt,
    string Priority,
    IReadOnlyList<string> Outcomes,
    IReadOnlyList<string> Checklist);

/// <summary>Raise the priority of the task an activity created (Escalate).</summary>
public sealed record TaskEscalationRequested(string InstanceId, string TaskActivityId, string Priority, string Reason);

/// <summary>A playbook run ended or was cancelled: its open tasks are cancelled.</summary>
public sealed record InstanceTasksCancellationRequested(string InstanceId, string Reason);

/// <summary>What the Tasks service publishes about a task's life.</summary>
public sealed record TaskChanged(
    string TaskId,
    string InstanceId,
    string ActivityId,
    string AccountId,
    string? Assignee,
    string? Team,
    DateTimeOffset? DueAt,
    DateTimeOffset CreatedAt,
    string? Outcome = null,
    string? Note = null,
    string? CompletedBy = null,
    DateTimeOffset? CompletedAt = null);
