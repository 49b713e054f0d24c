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

/// <summary>
/// A run reached an activity: the step funnel counts these. The engine sent one per activity until it sent one
/// <see cref="ActivitiesReached"/> per burst; metrics still folds this one (stored events replayed by a rebuild).
/// </summary>
public sealed record ActivityReached(
    string InstanceId,
    string DefinitionId,
    int Version,
    string ActivityId,
    string ActivityType,
    string AccountId,
    string? Outcome = null);

/// <summary>The activities one burst of a run reached, in order: one event instead of one per activity.</summary>
public sealed record ActivitiesReached(
    string InstanceId,
    string DefinitionId,
    int Version,
    string AccountId,
    IReadOnlyList<ReachedActivity> Activities);

/// <param name="Outcome">The first outcome of an activity that completed; null for one that waits or ended the run.</param>
public sealed record ReachedActivity(string ActivityId, string ActivityType, string? Outcome = null);
