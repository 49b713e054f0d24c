using System.Diagnostics;
using System.Diagnostics.Metrics;
using Playbooks.Engine.Definitions;
using Playbooks.Messaging.Contracts;
using Playbooks.ServiceDefaults.Telemetry;

namespace Playbooks.Engine.Execution;

/// <summary>
/// The engine's spans and instruments. Spans: one per instance run (<c>playbook start</c>, <c>playbook resume</c>) and
/// one per activity executed (<c>activity {type}</c>) under it, all tagged with playbook, version, instance and account.
/// Simulations record neither spans nor measurements: they run on virtual time and would skew both.
/// </summary>
public static class ExecutionTelemetry
{
    public const string DefinitionTag = "playbooks.definition";
    public const string VersionTag = "playbooks.version";
    public const string InstanceTag = "playbooks.instance";
    public const string AccountTag = "playbooks.account";
    public const string ActivityIdTag = "playbooks.activity.id";
    public const string ActivityTypeTag = "playbooks.activity.type";
    public const string ActivityResultTag = "playbooks.activity.result";

    public static readonly Counter<long> InstancesStarted = PlaybooksTelemetry.Meter.CreateCounter<long>(
        "playbooks.instances.started", description: "Playbook instances started, by playbook");

    public static readonly Counter<long> InstancesCompleted = PlaybooksTelemetry.Meter.CreateCounter<long>(
        "playbooks.instances.completed", description: "Playbook instances that reached their end, by playbook");

    public static readonly Counter<long> InstancesFaulted = PlaybooksTelemetry.Meter.CreateCounter<long>(
        "playbooks.instances.faulted", description: "Playbook instances that faulted (an activity failed), by playbook");

    public static readonly Histogram<double> ActivityDuration = PlaybooksTelemetry.Meter.CreateHistogram<double>(
        "playbooks.activity.duration", unit: "s", description: "Wall-clock time an activity took to execute or resume, by activity type and result");

    /// <summary>A span for one run of an instance (start, resume), tagged like every engine span.</summary>
    public static Activity? StartRun(string name, InstanceState instance, CompiledPlaybook playbook)
    {
        var span = PlaybooksTelemetry.ActivitySource.StartActivity(name);
        if (span is null) return null;
        span.SetTag(PlaybooksTelemetry.ServiceTag, EngineService.Name);
        TagInstance(span, instance, playbook);
        return span;
    }

    /// <summary>A span for one activity executing (or resuming) inside a run; null in simulations.</summary>
    public static Activity? StartActivity(RunContext run, ActivityNode node, InstanceState instance, CompiledPlaybook playbook, bool resuming)
    {
        if (run.Simulating) return null;
        var span = PlaybooksTelemetry.ActivitySource.StartActivity($"activity {node.Type}");
        if (span is null) return null;
        span.SetTag(PlaybooksTelemetry.ServiceTag, EngineService.Name);
        TagInstance(span, instance, playbook);
        span.SetTag(ActivityIdTag, node.Id);
        span.SetTag(ActivityTypeTag, node.Type);
        if (resuming) span.SetTag("playbooks.activity.resumed", true);
        return span;
    }

    /// <summary>Ends an activity's span and records its duration, with what it came to.</summary>
    public static void Finish(RunContext run, ActivityNode node, Activity? span, long startedTimestamp, ActivityResult result)
    {
        if (run.Simulating) return;
        var outcome = result switch
        {
            ActivityResult.Completed => "completed",
            ActivityResult.Suspended => "waiting",
            ActivityResult.StillWaiting => "waiting",
            ActivityResult.Faulted => "faulted",
            ActivityResult.Ended => "ended",
            _ => "other",
        };
        ActivityDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds,
            new KeyValuePair<string, object?>(ActivityTypeTag, node.Type),
            new KeyValuePair<string, object?>(ActivityResultTag, outcome));
        if (span is null) return;
        span.SetTag(ActivityResultTag, outcome);
        if (result is ActivityResult.Faulted faulted) span.SetStatus(ActivityStatusCode.Error, faulted.Reason);
    }

    /// <summary>Counts what a committed run changed: read from the events it committed, so a conflict that rolled back counts nothing.</summary>
    public static void CountCommitted(string definitionId, IEnumerable<OutgoingEvent> events)
    {
        var playbook = new KeyValuePair<string, object?>(DefinitionTag, definitionId);
        foreach (var outgoing in events)
        {
            switch (outgoing.Type)
            {
                case EventTypes.InstanceStarted: InstancesStarted.Add(1, playbook); break;
                case EventTypes.InstanceCompleted: InstancesCompleted.Add(1, playbook); break;
                case EventTypes.InstanceFaulted: InstancesFaulted.Add(1, playbook); break;
            }
        }
    }

    private static void TagInstance(Activity span, InstanceState instance, CompiledPlaybook playbook)
    {
        span.SetTag(DefinitionTag, playbook.DefinitionId);
        span.SetTag(VersionTag, playbook.Version);
        span.SetTag(InstanceTag, instance.Id);
        span.SetTag(AccountTag, instance.AccountId);
    }
}
