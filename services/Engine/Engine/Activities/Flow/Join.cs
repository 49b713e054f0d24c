using Playbooks.Engine.Execution;

namespace Playbooks.Engine.Activities.Flow;

/// <summary>
/// Waits for branches to arrive: <c>all</c> continues once every incoming activity has arrived, <c>any</c> on the first
/// (later arrivals of that round are absorbed). No bookmark: arrivals are part of the instance state.
/// </summary>
public sealed class Join : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new("Join", "Flow", "Join",
        "Continues when all (or any) incoming branches have arrived.",
        [new("mode", "Mode", InputKind.Choice, "all: wait for every branch; any: continue on the first", Options: ["all", "any"], Default: InputDescriptor.Json("all"))],
        [Done]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var sources = context.Playbook.IncomingSources(context.Node.Id);
        var arrivals = context.Instance.JoinArrivals.TryGetValue(context.Node.Id, out var list) ? list : context.Instance.JoinArrivals[context.Node.Id] = [];
        if (context.From is not null && !arrivals.Contains(context.From)) arrivals.Add(context.From);
        var all = arrivals.Count >= sources.Count && sources.All(arrivals.Contains);
        if (all) context.Instance.JoinArrivals.Remove(context.Node.Id);

        var result = context.Text("mode") == "any"
            ? arrivals.Count == 1 || (all && sources.Count == 1) ? ActivityResult.Complete(Done) : ActivityResult.KeepWaiting
            : all ? ActivityResult.Complete(Done) : ActivityResult.KeepWaiting;
        return ValueTask.FromResult(result);
    }
}
