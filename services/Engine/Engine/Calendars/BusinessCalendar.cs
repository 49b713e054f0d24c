namespace Playbooks.Engine.Calendars;

/// <summary>Which days count as working days: Monday to Friday, less the holidays of the calendar.</summary>
public sealed class BusinessCalendar(string name, Func<int, IReadOnlySet<DateOnly>> holidaysOfYear)
{
    private readonly Dictionary<int, IReadOnlySet<DateOnly>> _years = [];
    private readonly Lock _gate = new();

    public string Name { get; } = name;

    public bool IsBusinessDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !HolidaysOf(day.Year).Contains(day);

    public IReadOnlySet<DateOnly> HolidaysOf(int year)
    {
        lock (_gate)
        {
            if (!_years.TryGetValue(year, out var holidays)) _years[year] = holidays = holidaysOfYear(year);
            return holidays;
        }
    }

    /// <summary>The same time of day <paramref name="days"/> business days later, counting in the account's time zone.</summary>
    public DateTimeOffset AddBusinessDays(DateTimeOffset from, int days, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(from, zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        for (var added = 0; added < days;)
        {
            day = day.AddDays(1);
            if (IsBusinessDay(day)) added++;
        }
        var target = day.ToDateTime(TimeOnly.FromDateTime(local.DateTime));
        return new DateTimeOffset(target, zone.GetUtcOffset(target)).ToUniversalTime();
    }
}
