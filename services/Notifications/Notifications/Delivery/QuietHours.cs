using Playbooks.Notifications.Channels;

namespace Playbooks.Notifications.Delivery;

/// <summary>
/// Holds customer-facing email during the quiet window in the account's time zone and releases it when the window ends.
/// Urgent templates (incident notices: customers want to know now) and messages to the CS team (owner, manager, users;
/// chat and in-app, whose apps have their own do-not-disturb) are not held.
/// </summary>
public sealed class QuietHours(QuietHoursOptions options)
{
    private readonly TimeZoneInfo _fallback = TimeZoneInfo.FindSystemTimeZoneById(options.DefaultTimeZone);

    /// <summary>When the quiet window around <paramref name="now"/> ends for this delivery, or null when it may go now.</summary>
    public (DateTimeOffset Until, string Reason)? Hold(DeliveryRecord delivery, DateTimeOffset now)
    {
        if (!options.Enabled || delivery.Channel != ChannelNames.Email || delivery.Audience != "customer" || delivery.Urgent == 1) return null;
        var zone = delivery.TimeZone is { } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var known) ? known : _fallback;
        return QuietUntil(now, zone) is { } until ? (until, $"Quiet hours in {zone.Id} ({options.Start:HH\\:mm}–{options.End:HH\\:mm}); sending at {options.End:HH\\:mm} local time.") : null;
    }

    public DateTimeOffset? QuietUntil(DateTimeOffset now, TimeZoneInfo zone)
    {
        if (options.Start == options.End) return null;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var clock = TimeOnly.FromDateTime(local.DateTime);
        var spansMidnight = options.Start > options.End;
        var quiet = spansMidnight ? clock >= options.Start || clock < options.End : clock >= options.Start && clock < options.End;
        if (!quiet) return null;

        // Before midnight in a window that spans it, the window ends tomorrow.
        var endDay = spansMidnight && clock >= options.Start ? local.Date.AddDays(1) : local.Date;
        var end = endDay + options.End.ToTimeSpan();
        // The end may fall in a daylight-saving gap (a local time that does not exist): the first valid minute after it.
        while (zone.IsInvalidTime(end)) end = end.AddMinutes(1);
        return new DateTimeOffset(end, zone.GetUtcOffset(end));
    }
}
