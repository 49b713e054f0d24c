using Playbooks.Messaging.Contracts;
using Playbooks.Metrics.Folding.State;
using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Folding;

/// <summary>Playbook runs: outcomes, durations, the step funnel, goals and A/B variants.</summary>
internal sealed partial class FoldBatch
{
    private void OnRunChanged(FoldEvent e, InstanceChanged change)
    {
        var run = RunOf(change.InstanceId, change.DefinitionId, change.Version, change.AccountId, change.StartedAt.ToUnixTimeMilliseconds());
        // The variant is a run variable an A/B split sets after the run started, so it may first appear on a later event.
        if (change.Variant is { Length: > 0 } variant && run.Variant is null) AssignVariant(run, variant);
        switch (e.Type)
        {
            case EventTypes.InstanceStarted when run.StartCounted == 0:
                run.StartCounted = 1;
                CountRun(run, StartDay(run), "started");
                break;
            case EventTypes.InstanceCompleted or EventTypes.InstanceExited or EventTypes.InstanceCancelled when run.EndedAt is null:
                End(run, e);
                break;
            case EventTypes.InstanceFaulted when run.FaultedAt is null:
                run.FaultedAt = e.At;
                CountRun(run, UnixDay.Of(e.At), "faulted");
                break;
            case EventTypes.GoalReached when run.GoalAt is null:
                run.GoalAt = e.At;
                CountRun(run, StartDay(run), "goal_reached");
                if (run.Variant is { } known) Deltas.Count(BucketTables.Variants, StartDay(run), [run.DefinitionId, run.Version, known], "goal_reached");
                break;
        }
        run.Dirty = true;
    }

    private void End(RunState run, FoldEvent e)
    {
        var status = e.Type switch
        {
            EventTypes.InstanceCompleted => "completed",
            EventTypes.InstanceExited => "exited",
            _ => "cancelled",
        };
        run.Status = status;
        run.EndedAt = e.At;
        var day = UnixDay.Of(e.At);
        CountRun(run, day, status);
        // A cancelled run was stopped by a person; its length says nothing about the playbook.
        if (status != "cancelled") Deltas.Sample(BucketTables.RunDurations, day, RunDimensions(run), e.At - run.StartedAt);
        if (status != "completed" && run.LastActivity is { } last)
            Deltas.Count(BucketTables.Steps, StartDay(run), [run.DefinitionId, run.Version, last, run.LastActivityType ?? ""], "dropped");
    }

    private void OnActivitiesReached(FoldEvent e, ActivitiesReached burst)
    {
        var run = RunOf(burst.InstanceId, burst.DefinitionId, burst.Version, burst.AccountId, e.At);
        foreach (var activity in burst.Activities) Reached(run, activity.ActivityId, activity.ActivityType);
    }

    private void OnActivityReached(FoldEvent e, ActivityReached reached) =>
        Reached(RunOf(reached.InstanceId, reached.DefinitionId, reached.Version, reached.AccountId, e.At), reached.ActivityId, reached.ActivityType);

    private void Reached(RunState run, string activityId, string? activityType)
    {
        run.LastActivity = activityId;
        run.LastActivityType = activityType ?? "";
        run.Dirty = true;
        // The funnel counts runs, not visits: a loop that passes an activity ten times is one run that reached it.
        if (!Steps.Add((run.InstanceId, activityId))) return;
        NewSteps.Add((run.InstanceId, activityId));
        Deltas.Count(BucketTables.Steps, StartDay(run), [run.DefinitionId, run.Version, activityId, run.LastActivityType], "reached");
    }

    private void AssignVariant(RunState run, string variant)
    {
        run.Variant = variant;
        Deltas.Count(BucketTables.Variants, StartDay(run), [run.DefinitionId, run.Version, variant], "runs");
        if (run.GoalAt is not null) Deltas.Count(BucketTables.Variants, StartDay(run), [run.DefinitionId, run.Version, variant], "goal_reached");
    }

    /// <summary>The run's state, created from this event when the fold has not seen the run before.</summary>
    private RunState RunOf(string instanceId, string definitionId, long version, string? accountId, long startedAt)
    {
        if (Runs.TryGetValue(instanceId, out var run)) return run;
        run = new RunState
        {
            InstanceId = instanceId, DefinitionId = definitionId, Version = version, AccountId = accountId ?? "",
            Segment = Accounts.GetValueOrDefault(accountId ?? "")?.Segment ?? "", StartedAt = startedAt, Dirty = true,
        };
        Runs[instanceId] = run;
        return run;
    }

    private void CountRun(RunState run, long day, string counter) => Deltas.Count(BucketTables.Runs, day, RunDimensions(run), counter);

    private static object[] RunDimensions(RunState run) => [run.DefinitionId, run.Version, run.Segment];

    private static long StartDay(RunState run) => UnixDay.Of(run.StartedAt);
}
