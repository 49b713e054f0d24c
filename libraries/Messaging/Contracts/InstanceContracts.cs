namespace Playbooks.Messaging.Contracts;

/// <summary>A change in a playbook run's life (started, completed, exited, faulted, cancelled, goal reached).</summary>
public sealed record InstanceChanged(
    string InstanceId,
    string DefinitionId,
    int Version,
    string PlaybookName,
    string AccountId,
    DateTimeOffset StartedAt,
    string? Reason = null,
    string? Variant = null);

/// <summary>A run reached an activity: the step funnel counts these.</summary>
public sealed record ActivityReached(
    string InstanceId,
    string DefinitionId,
    int Version,
    string ActivityId,
    string ActivityType,
    string AccountId,
    string? Outcome = null);
