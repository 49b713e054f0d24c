using System.Text.Json.Nodes;
using Playbooks.Engine.Execution;

namespace Playbooks.Engine.Activities.Timing;

/// <summary>Waits for an account event of a type on the run's account, optionally only one matching a condition, with a timeout.</summary>
public sealed class WaitForEvent : Activity
{
    public const string Received = "Received";
    public const string Timeout = "Timeout";

    public override ActivityDescriptor Descriptor { get; } = new("WaitForEvent", "Timing", "Wait for event",
        "Waits for an event on this account (e.g. usage.recovered); Timeout when it does not come in time.",
        [
            new("eventType", "Event type", InputKind.Text, "e.g. first_value.reached", Required: true),
            new("condition", "Only when", InputKind.Expression, "Optional condition over the incoming `event`"),
            new("timeout", "Timeout", InputKind.Duration, "ISO 8601, e.g. P30D; empty waits forever"),
        ],
        [Received, Timeout], CanWait: true);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var eventType = context.Text("eventType")!;
        var bookmarks = new List<Bookmark>
        {
            new(context.NewId(), context.Node.Id, Bookmark.Event, Bookmark.EventKey(eventType, context.Instance.AccountId)),
        };
        if (context.Duration("timeout") is { } timeout)
            bookmarks.Add(new Bookmark(context.NewId(), context.Node.Id, Bookmark.Timer, Bookmark.Timer, context.Now + timeout));
        return ValueTask.FromResult(ActivityResult.Wait([.. bookmarks]));
    }

    public override ValueTask<ActivityResult> ResumeAsync(ActivityContext context, Bookmark bookmark, Stimulus stimulus)
    {
        if (stimulus.Kind == Stimulus.TimerDue) return ValueTask.FromResult(ActivityResult.Complete(Timeout));
        if (context.Has("condition") && !context.Condition("condition")) return ValueTask.FromResult(ActivityResult.KeepWaiting);
        return ValueTask.FromResult(ActivityResult.Complete(Received, stimulus.Payload?.DeepClone() ?? new JsonObject()));
    }
}
