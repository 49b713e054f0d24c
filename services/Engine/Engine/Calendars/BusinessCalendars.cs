using Microsoft.Extensions.Configuration;

namespace Playbooks.Engine.Calendars;

/// <summary>
/// The calendars Delay can count business days in: <c>weekdays</c> (no holidays), <c>jp</c> (Japan), and any set in
/// configuration as <c>Engine:Calendars:{name}:Holidays</c> (a list of yyyy-MM-dd dates).
/// </summary>
public sealed class BusinessCalendars
{
    public const string Default = "weekdays";

    private readonly Dictionary<string, BusinessCalendar> _calendars = new(StringComparer.OrdinalIgnoreCase);

    public BusinessCalendars(IConfiguration configuration)
    {
        _calendars[Default] = new BusinessCalendar(Default, _ => new HashSet<DateOnly>());
        _calendars["jp"] = new BusinessCalendar("jp", JapanHolidays.Of);
        foreach (var section in configuration.GetSection("Engine:Calendars").GetChildren())
        {
            var dates = section.GetSection("Holidays").Get<string[]>() ?? [];
            var holidays = dates.Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd")).ToHashSet();
            _calendars[section.Key] = new BusinessCalendar(section.Key, year => holidays.Where(d => d.Year == year).ToHashSet());
        }
    }

    public IReadOnlyCollection<string> Names => _calendars.Keys;

    public bool TryGet(string? name, out BusinessCalendar calendar) => _calendars.TryGetValue(name ?? Default, out calendar!);
}
