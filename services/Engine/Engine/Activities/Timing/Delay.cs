using Playbooks.Engine.Execution;

namespace Playbooks.Engine.Activities.Timing;

/// <summary>Waits a duration, or a number of business days in a holiday calendar (counted in the account's time zone).</summary>
public sealed class Delay : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new("Delay", "Timing", "Delay",
        "Waits a duration (P7D, PT15M) or a number of business days that skips weekends and the calendar's holidays.",
        [
            new("duration", "Duration", InputKind.Duration, "ISO 8601, e.g. P7D; leave empty to count business days"),
            new("businessDays", "Business days", InputKind.Number, "Working days to wait, e.g. 5"),
            new("calendar", "Holiday calendar", InputKind.Choice, "Which holidays to skip", Options: ["weekdays", "jp"], Default: InputDescriptor.Json("weekdays")),
        ],
        [Done], CanWait: true);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var due = DueAt(context);
        return ValueTask.FromResult(due is { } at
            ? ActivityResult.Wait(new Bookmark(context.NewId(), context.Node.Id, Bookmark.Timer, Bookmark.Timer, at))
            : ActivityResult.Fault("Delay needs a duration or a number of business days."));
    }

    private static DateTimeOffset? DueAt(ActivityContext context)
    {
        if (context.Duration("duration") is { } duration) return context.Now + duration;
        if (context.Number("businessDays") is not { } days) return null;
        var calendarName = context.Text("calendar");
        if (!context.Calendars.TryGet(calendarName, out var calendar))
            throw new InvalidOperationException($"Unknown holiday calendar '{calendarName}'. Known: {string.Join(", ", context.Calendars.Names)}.");
        return calendar.AddBusinessDays(context.Now, (int)days, AccountZone.Of(context.Account));
    }
}
