using Playbooks.Engine.Execution;

namespace Playbooks.Engine.Activities.Timing;

/// <summary>Waits until a date, typically computed from an account field; a date already past continues at once.</summary>
public sealed class WaitUntil : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new("WaitUntil", "Timing", "Wait until",
        "Waits until a date, e.g. addDays(account.renewalDate, -90).",
        [new("until", "Until", InputKind.Date, "ISO date or expression, e.g. addDays(account.renewalDate, -90)", Required: true)],
        [Done], CanWait: true);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var until = context.Date("until");
        if (until is null) return ValueTask.FromResult(ActivityResult.Fault("'until' evaluated to nothing; check the account field it reads."));
        return ValueTask.FromResult(until <= context.Now
            ? ActivityResult.Complete(Done)
            : ActivityResult.Wait(new Bookmark(context.NewId(), context.Node.Id, Bookmark.Timer, Bookmark.Timer, until)));
    }
}
