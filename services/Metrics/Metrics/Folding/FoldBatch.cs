using Playbooks.Messaging.Contracts;
using Playbooks.Metrics.Folding.State;

namespace Playbooks.Metrics.Folding;

/// <summary>
/// One batch of events folded in memory: the state rows its events touch (loaded first by <see cref="FoldStateLoader"/>)
/// and what it adds to the buckets. Events apply in order; <see cref="FoldStateWriter"/> then writes what changed.
/// The same code folds live events and a rebuild's replay, so both give the same figures.
/// </summary>
internal sealed partial class FoldBatch(FoldRules rules)
{
    public FoldRules Rules => rules;

    public Dictionary<string, RunState> Runs { get; } = new(StringComparer.Ordinal);

    public HashSet<(string InstanceId, string ActivityId)> Steps { get; } = [];

    public List<(string InstanceId, string ActivityId)> NewSteps { get; } = [];

    public Dictionary<string, AccountState> Accounts { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, TaskState> Tasks { get; } = new(StringComparer.Ordinal);

    public Dictionary<(string IncidentId, string AccountId), IncidentState> Incidents { get; } = [];

    public HashSet<IncidentNotice> Notices { get; } = [];

    public List<IncidentNotice> NewNotices { get; } = [];

    public BucketDeltas Deltas { get; } = new();

    public long Folded { get; private set; }

    public long NewestAt { get; private set; } = long.MinValue;

    public void Apply(FoldEvent e)
    {
        Folded++;
        NewestAt = Math.Max(NewestAt, e.At);
        switch (e.Payload)
        {
            case InstanceChanged change: OnRunChanged(e, change); break;
            case ActivitiesReached burst: OnActivitiesReached(e, burst); break;
            case ActivityReached reached: OnActivityReached(e, reached); break;
            case TaskChanged task: OnTaskChanged(e, task); break;
            case NotificationDelivered delivery: OnDelivery(e, delivery); break;
            case AccountChange change: OnAccountChanged(e, change.After!); break;
            case IncidentSignal signal: OnIncident(e, signal); break;
        }
    }
}

/// <summary>One notice to an account about an incident: a (run, activity) send, whatever its number of recipients.</summary>
internal readonly record struct IncidentNotice(string IncidentId, string AccountId, string InstanceId, string ActivityId);
