namespace Playbooks.Engine.Calendars;

/// <summary>
/// Japan's public holidays under the Public Holiday Act, computed per year (valid 2000–2099): fixed days, Happy Monday days,
/// the equinoxes by the standard approximation, the 2020/2021 Olympic moves, substitute holidays and citizens' holidays.
/// </summary>
public static class JapanHolidays
{
    public static IReadOnlySet<DateOnly> Of(int year)
    {
        var days = new HashSet<DateOnly>
        {
            new(year, 1, 1),
            NthMonday(year, 1, 2),
            new(year, 2, 11),
            new(year, 3, VernalEquinox(year)),
            new(year, 4, 29),
            new(year, 5, 3), new(year, 5, 4), new(year, 5, 5),
            NthMonday(year, 9, 3),
            new(year, 9, AutumnalEquinox(year)),
            new(year, 11, 3),
            new(year, 11, 23),
        };
        if (year >= 2020) days.Add(new DateOnly(year, 2, 23));
        if (year <= 2018) days.Add(new DateOnly(year, 12, 23));
        if (year == 2019) { days.Add(new DateOnly(2019, 4, 30)); days.Add(new DateOnly(2019, 5, 1)); days.Add(new DateOnly(2019, 5, 2)); days.Add(new DateOnly(2019, 10, 22)); }
        switch (year)
        {
            case 2020: days.UnionWith([new DateOnly(2020, 7, 23), new DateOnly(2020, 7, 24), new DateOnly(2020, 8, 10)]); break;
            case 2021: days.UnionWith([new DateOnly(2021, 7, 22), new DateOnly(2021, 7, 23), new DateOnly(2021, 8, 8)]); break;
            default:
                days.Add(NthMonday(year, 7, 3));
                days.Add(NthMonday(year, 10, 2));
                if (year >= 2016) days.Add(new DateOnly(year, 8, 11));
                break;
        }

        // A day between two holidays is a holiday.
        foreach (var day in days.ToList())
        {
            var between = day.AddDays(1);
            if (days.Contains(between.AddDays(1)) && !days.Contains(between) && between.DayOfWeek != DayOfWeek.Sunday) days.Add(between);
        }
        // A holiday on a Sunday moves to the next day that is not a holiday.
        foreach (var sunday in days.Where(d => d.DayOfWeek == DayOfWeek.Sunday).ToList())
        {
            var substitute = sunday.AddDays(1);
            while (days.Contains(substitute)) substitute = substitute.AddDays(1);
            days.Add(substitute);
        }
        return days;
    }

    private static DateOnly NthMonday(int year, int month, int n)
    {
        var first = new DateOnly(year, month, 1);
        var offset = ((int)DayOfWeek.Monday - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(offset + 7 * (n - 1));
    }

    private static int VernalEquinox(int year) => (int)(20.8431 + 0.242194 * (year - 1980) - Math.Floor((year - 1980) / 4.0));

    private static int AutumnalEquinox(int year) => (int)(23.2488 + 0.242194 * (year - 1980) - Math.Floor((year - 1980) / 4.0));
}
