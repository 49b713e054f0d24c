using Microsoft.Extensions.Configuration;
using Playbooks.Engine.Calendars;
using Xunit;

namespace Playbooks.Engine.Tests.Calendars;

/// <summary>Japan's public holidays as the jp calendar counts them, checked against the Cabinet Office's published lists.</summary>
public sealed class JapanHolidaysTests
{
    private static DateOnly D(string date) => DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void The_2027_holidays_are_exactly_the_published_ones()
    {
        string[] published =
        [
            "2027-01-01", "2027-01-11", "2027-02-11", "2027-02-23", "2027-03-21", "2027-03-22", "2027-04-29",
            "2027-05-03", "2027-05-04", "2027-05-05", "2027-07-19", "2027-08-11", "2027-09-20", "2027-09-23",
            "2027-10-11", "2027-11-03", "2027-11-23",
        ];

        Assert.Equal(published.Select(D).Order(), JapanHolidays.Of(2027).Order());
    }

    [Fact]
    public void A_holiday_on_a_Sunday_moves_to_the_next_free_weekday()
    {
        // Constitution Day, Sunday 3 May 2026: 4 and 5 May are holidays already, so the substitute is Wednesday 6 May.
        Assert.Contains(D("2026-05-06"), JapanHolidays.Of(2026));
        Assert.DoesNotContain(D("2026-05-07"), JapanHolidays.Of(2026));
    }

    [Fact]
    public void A_day_between_two_holidays_is_a_holiday()
    {
        // Respect for the Aged Day (21 Sep 2026) and the autumnal equinox (23 Sep) enclose 22 September.
        Assert.Contains(D("2026-09-22"), JapanHolidays.Of(2026));
    }

    [Fact]
    public void Business_days_skip_Golden_Week()
    {
        var jp = new BusinessCalendars(new ConfigurationBuilder().Build());
        Assert.True(jp.TryGet("jp", out var calendar));

        var due = calendar.AddBusinessDays(new DateTimeOffset(2027, 4, 28, 9, 0, 0, TimeSpan.FromHours(9)), 2, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));

        Assert.Equal(new DateTimeOffset(2027, 5, 6, 9, 0, 0, TimeSpan.FromHours(9)), due);
    }

    [Fact]
    public void A_calendar_set_in_configuration_skips_its_own_holidays()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Engine:Calendars:acme:Holidays:0"] = "2027-04-29",
            ["Engine:Calendars:acme:Holidays:1"] = "2027-04-30",
        }).Build();
        Assert.True(new BusinessCalendars(configuration).TryGet("acme", out var acme));

        var due = acme.AddBusinessDays(new DateTimeOffset(2027, 4, 28, 9, 0, 0, TimeSpan.Zero), 1, TimeZoneInfo.Utc);

        Assert.Equal(new DateTimeOffset(2027, 5, 3, 9, 0, 0, TimeSpan.Zero), due);
    }
}
