using Playbooks.Engine.Execution;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Activities.Messaging;

/// <summary>Publishes an account event on the bus, e.g. to start another playbook (incident health watch → adoption nudges).</summary>
public sealed class EmitEvent : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new("EmitEvent", "Messaging", "Emit event",
        "Publishes an event for this account that other playbooks and services can react to.",
        [
            new("eventType", "Event type", InputKind.Text, "e.g. health.watch.ended", Required: true),
            new("data", "Data", InputKind.Object, "The event's data"),
        ],
        [Done]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        context.Emit(context.Text("eventType")!, new EmittedAccountEvent(context.Instance.AccountId, context.Value("data"), context.Instance.Id));
        return ValueTask.FromResult(ActivityResult.Complete(Done));
    }
}

/// <summary>The data of an event a playbook emitted: which account, what, and which run said so.</summary>
public sealed record EmittedAccountEvent(string AccountId, System.Text.Json.Nodes.JsonNode? Data, string EmittedBy);
