using System.Text.Json;
using System.Text.Json.Nodes;
using Playbooks.Engine.Expressions;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Execution;

/// <summary>
/// Runs a playbook instance forward from a start, a stimulus or a retry until every branch waits, ends or faults.
/// It touches no storage: it changes the <see cref="InstanceState"/> it is given and reports its <see cref="RunEffects"/>,
/// which the runtime commits in one transaction and the simulator records instead.
/// </summary>
public sealed class PlaybookExecutor(ExecutionServices services)
{
    /// <summary>A burst that runs this many activities without waiting is a loop; the validator rejects most such loops first.</summary>
    public const int MaxStepsPerBurst = 1_000;

    public async Task<RunEffects> StartAsync(CompiledPlaybook playbook, InstanceState instance, RunContext run)
    {
        var effects = new RunEffects();
        foreach (var variable in playbook.Variables.Values)
            if (!instance.Variables.ContainsKey(variable.Name))
                instance.Variables[variable.Name] = variable.Default is { } value ? JsonSerializer.SerializeToNode(value) : null;
        instance.TriggerEvent = run.Event?.DeepClone();
        instance.Scheduled.Add(new ScheduledActivity(playbook.Start, null));
        effects.Events.Add(new OutgoingEvent(EventTypes.InstanceStarted, Changed(playbook, instance)));
        await DrainAsync(playbook, instance, run, effects);
        return effects;
    }

    public async Task<RunEffects> ResumeAsync(CompiledPlaybook playbook, InstanceState instance, RunContext run, Bookmark bookmark, Stimulus stimulus)
    {
        var effects = new RunEffects();
        if (instance.Status != InstanceStatus.Running || !instance.Bookmarks.Contains(bookmark)) return effects;
        if (stimulus.Kind == Stimulus.AccountEvent) run.Event = stimulus.Payload;
        var node = playbook.Node(bookmark.ActivityId);
        var context = new ActivityContext(services, playbook, node, instance, run, effects);
        var timestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        using (var span = ExecutionTelemetry.StartActivity(run, node, instance, playbook, resuming: true))
        {
            var result = await Guard(() => playbook.ActivityOf(node.Id).ResumeAsync(context, bookmark, stimulus));
            ExecutionTelemetry.Finish(run, node, span, timestamp, result);
            Apply(playbook, instance, context, result, stimulus.At, resumed: true);
        }
        await DrainAsync(playbook, instance, run, effects);
        return effects;
    }

    /// <summary>Runs the faulted activity again, then whatever was scheduled after it.</summary>
    public async Task<RunEffects> RetryAsync(CompiledPlaybook playbook, InstanceState instance, RunContext run)
    {
        var effects = new RunEffects();
        if (instance.Status != InstanceStatus.Faulted) return effects;
        instance.Status = InstanceStatus.Running;
        instance.Fault = null;
        effects.Journal.Add(new JournalEntry(instance.Id, "", "Instance", "retried", null, null, null, null, run.Now, run.Now));
        await DrainAsync(playbook, instance, run, effects);
        return effects;
    }

    /// <summary>Ends a run from outside (cancel by a person, exit condition): waits dropped, open tasks cancelled.</summary>
    public RunEffects End(CompiledPlaybook playbook, InstanceState instance, RunContext run, InstanceStatus status, string reason)
    {
        var effects = new RunEffects();
        if (instance.IsFinished) return effects;
        Finish(playbook, instance, run.Now, status, reason, effects);
        return effects;
    }

    private async Task DrainAsync(CompiledPlaybook playbook, InstanceState instance, RunContext run, RunEffects effects)
    {
        var steps = 0;
        // The activities reached go out as one event, where the first was reached: one per activity made the outbox, the
        // stream and every service's consumer carry three events of seven for each account event that starts a run.
        var reached = new List<ReachedActivity>();
        var announceAt = 0;
        while (instance.Status == InstanceStatus.Running && instance.Scheduled.Count > 0)
        {
            var next = instance.Scheduled[0];
            var node = playbook.Node(next.ActivityId);
            if (++steps > MaxStepsPerBurst)
            {
                Fail(playbook, instance, node.Id, node.Type, $"More than {MaxStepsPerBurst} activities ran without waiting: add a wait (Delay, WaitForEvent, WaitForTask) to the loop.", run.Now, effects);
                break;
            }
            instance.Scheduled.RemoveAt(0);
            instance.Visits[node.Id] = instance.Visits.GetValueOrDefault(node.Id) + 1;
            var context = new ActivityContext(services, playbook, node, instance, run, effects) { From = next.From };
            var started = run.Now;
            var timestamp = System.Diagnostics.Stopwatch.GetTimestamp();
            // Events the activity emits are stamped with its span, so what they cause downstream hangs under it.
            using var span = ExecutionTelemetry.StartActivity(run, node, instance, playbook, resuming: false);
            var result = await Guard(() => playbook.ActivityOf(node.Id).ExecuteAsync(context));
            ExecutionTelemetry.Finish(run, node, span, timestamp, result);
            if (result is ActivityResult.Faulted)
            {
                // Not a visit: a retry runs it again as the same one, so a CreateTask keeps its task reference.
                instance.Visits[node.Id]--;
                instance.Scheduled.Insert(0, next);
            }
            else if (result is not ActivityResult.StillWaiting)
            {
                if (reached.Count == 0) announceAt = effects.Events.Count;
                reached.Add(new ReachedActivity(node.Id, node.Type, (result as ActivityResult.Completed)?.Outcomes.FirstOrDefault()));
            }
            Apply(playbook, instance, context, result, started, resumed: false);
        }
        if (reached.Count > 0)
            effects.Events.Insert(announceAt, new OutgoingEvent(EventTypes.ActivitiesReached,
                new ActivitiesReached(instance.Id, instance.DefinitionId, instance.Version, instance.AccountId, reached)));
        if (instance.Status == InstanceStatus.Running && instance.Scheduled.Count == 0 && instance.Bookmarks.Count == 0)
            Finish(playbook, instance, run.Now, InstanceStatus.Completed, "No more steps", effects);
    }

    private void Apply(CompiledPlaybook playbook, InstanceState instance, ActivityContext context, ActivityResult result, DateTimeOffset started, bool resumed)
    {
        var node = context.Node;
        var effects = context.Effects;
        var now = context.Now;
        effects.Path.Add(node.Id);
        switch (result)
        {
            case ActivityResult.Completed completed:
                instance.Bookmarks.RemoveAll(b => b.ActivityId == node.Id);
                if (completed.Output is not null) instance.Outputs[node.Id] = completed.Output;
                effects.Journal.Add(new JournalEntry(instance.Id, node.Id, node.Type, resumed ? "resumed" : "completed",
                    string.Join(",", completed.Outcomes), context.RecordedInputs, completed.Output?.DeepClone(), null, started, now));
                foreach (var outcome in completed.Outcomes)
                foreach (var target in playbook.Next(node.Id, outcome))
                    instance.Scheduled.Add(new ScheduledActivity(target, node.Id));
                break;
            case ActivityResult.Suspended suspended:
                instance.Bookmarks.RemoveAll(b => b.ActivityId == node.Id);
                instance.Bookmarks.AddRange(suspended.Bookmarks);
                effects.Journal.Add(new JournalEntry(instance.Id, node.Id, node.Type, "waiting", null, context.RecordedInputs,
                    JsonSerializer.SerializeToNode(suspended.Bookmarks.Select(b => new { b.Kind, b.Key, b.DueAt }), JsonSerializerOptions.Web), null, started, now));
                break;
            case ActivityResult.Faulted faulted:
                Fail(playbook, instance, node.Id, node.Type, faulted.Reason, now, effects, context.RecordedInputs);
                break;
            case ActivityResult.Ended:
                effects.Journal.Add(new JournalEntry(instance.Id, node.Id, node.Type, "completed", null, context.RecordedInputs, null, null, started, now));
                Finish(playbook, instance, now, InstanceStatus.Completed, $"Reached {node.DisplayName ?? node.Id}", effects);
                break;
        }
    }

    private static void Fail(CompiledPlaybook playbook, InstanceState instance, string activityId, string type, string reason, DateTimeOffset now, RunEffects effects, JsonNode? inputs = null)
    {
        instance.Status = InstanceStatus.Faulted;
        instance.Fault = new InstanceFault(activityId, reason, now);
        instance.UpdatedAt = now;
        effects.Journal.Add(new JournalEntry(instance.Id, activityId, type, "faulted", null, inputs, null, reason, now, now));
        effects.Events.Add(new OutgoingEvent(EventTypes.InstanceFaulted, Changed(playbook, instance, reason)));
    }

    private static void Finish(CompiledPlaybook playbook, InstanceState instance, DateTimeOffset now, InstanceStatus status, string reason, RunEffects effects)
    {
        instance.Status = status;
        instance.EndReason = reason;
        instance.EndedAt = now;
        instance.Bookmarks.Clear();
        instance.Scheduled.Clear();
        instance.JoinArrivals.Clear();
        var type = status switch
        {
            InstanceStatus.Exited => EventTypes.InstanceExited,
            InstanceStatus.Cancelled => EventTypes.InstanceCancelled,
            _ => EventTypes.InstanceCompleted,
        };
        effects.Journal.Add(new JournalEntry(instance.Id, "", "Instance", status.ToString().ToLowerInvariant(), null, null, null, reason, now, now));
        effects.Events.Add(new OutgoingEvent(type, Changed(playbook, instance, reason)));
        // Tasks still open on other branches (or on a cancelled run) would otherwise linger in CSMs' inboxes.
        effects.Events.Add(new OutgoingEvent(EventTypes.InstanceTasksCancellationRequested, new InstanceTasksCancellationRequested(instance.Id, reason)));
    }

    private static InstanceChanged Changed(CompiledPlaybook playbook, InstanceState instance, string? reason = null) =>
        new(instance.Id, instance.DefinitionId, instance.Version, playbook.Definition.Name, instance.AccountId, instance.CreatedAt, reason,
            instance.Variables["variant"]?.ToString());

    private static async Task<ActivityResult> Guard(Func<ValueTask<ActivityResult>> run)
    {
        try
        {
            return await run();
        }
        catch (ExpressionException error)
        {
            return ActivityResult.Fault(error.Message);
        }
        catch (Exception error) when (error is HttpRequestException or JsonException or FormatException or InvalidOperationException or TaskCanceledException)
        {
            return ActivityResult.Fault(error.Message);
        }
    }
}
