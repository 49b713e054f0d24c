using Playbooks.Notifications.Delivery;
using Xunit;

namespace Playbooks.Notifications.Tests.Delivery;

public sealed class QuietHoursTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private readonly QuietHours _quiet = new(new QuietHoursOptions());

    [Theory]
    [InlineData("2026-11-23T20:30:00Z", "2026-11-24T07:00:00Z")] // 21:30 Paris, before midnight: ends tomorrow 08:00
    [InlineData("2026-11-23T23:30:00Z", "2026-11-24T07:00:00Z")] // 00:30 Paris, after midnight: ends this morning
    [InlineData("2026-11-24T06:59:00Z", "2026-11-24T07:00:00Z")] // 07:59 Paris
    [InlineData("2026-07-01T19:30:00Z", "2026-07-02T06:00:00Z")] // 21:30 Paris in summer (UTC+2)
    public void In_the_window_it_holds_until_the_window_ends_locally(string now, string until) =>
        Assert.Equal(DateTimeOffset.Parse(until), _quiet.QuietUntil(DateTimeOffset.Parse(now), Paris));

    [Theory]
    [InlineData("2026-11-24T07:00:00Z")] // 08:00 Paris: the window has ended
    [InlineData("2026-11-24T12:00:00Z")]
    [InlineData("2026-11-23T19:59:00Z")] // 20:59 Paris
    public void Outside_the_window_it_does_not_hold(string now) =>
        Assert.Null(_quiet.QuietUntil(DateTimeOffset.Parse(now), Paris));

    [Fact]
    public void A_window_ending_in_a_daylight_saving_gap_ends_at_the_first_real_minute_after_it()
    {
        // 28 March 2027 in Paris the clocks jump from 02:00 to 03:00; a window ending 02:30 that night ends at 03:00 (01:00 UTC).
        var quiet = new QuietHours(new QuietHoursOptions { Start = new TimeOnly(22, 0), End = new TimeOnly(2, 30) });

        Assert.Equal(DateTimeOffset.Parse("2027-03-28T01:00:00Z"), quiet.QuietUntil(DateTimeOffset.Parse("2027-03-27T23:00:00Z"), Paris));
    }

    [Fact]
    public void A_window_within_one_day_holds_only_inside_it()
    {
        var lunch = new QuietHours(new QuietHoursOptions { Start = new TimeOnly(12, 0), End = new TimeOnly(14, 0) });

        Assert.Equal(DateTimeOffset.Parse("2026-11-24T14:00:00Z"), lunch.QuietUntil(DateTimeOffset.Parse("2026-11-24T12:30:00Z"), TimeZoneInfo.Utc));
        Assert.Null(lunch.QuietUntil(DateTimeOffset.Parse("2026-11-24T23:30:00Z"), TimeZoneInfo.Utc));
    }

    [Fact]
    public void Only_customer_email_that_is_not_urgent_is_held()
    {
        var lateInParis = DateTimeOffset.Parse("2026-11-23T22:00:00Z");
        DeliveryRecord Delivery(string channel, string audience, int urgent) => new() { Channel = channel, Audience = audience, Urgent = urgent, TimeZone = "Europe/Paris" };

        Assert.NotNull(_quiet.Hold(Delivery("email", "customer", 0), lateInParis));
        Assert.Null(_quiet.Hold(Delivery("email", "customer", 1), lateInParis));
        Assert.Null(_quiet.Hold(Delivery("email", "team", 0), lateInParis));
        Assert.Null(_quiet.Hold(Delivery("chat", "customer", 0), lateInParis));
        Assert.Null(_quiet.Hold(Delivery("in-app", "team", 0), lateInParis));
    }

    [Fact]
    public void An_unknown_time_zone_falls_back_to_the_configured_default()
    {
        var held = _quiet.Hold(new DeliveryRecord { Channel = "email", Audience = "customer", TimeZone = "Mars/Olympus_Mons" }, DateTimeOffset.Parse("2026-11-23T22:00:00Z"));

        Assert.Equal(DateTimeOffset.Parse("2026-11-24T08:00:00Z"), held?.Until);
        Assert.Contains("UTC", held?.Reason);
    }
}
