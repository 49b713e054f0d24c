using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Playbooks.Metrics.Kpis;

/// <summary>Reads a KPI query's parameters, collecting every mistake with what to send instead.</summary>
internal static class KpiRequestParser
{
    public const int MaxDays = 731;
    public const int DefaultDays = 30;

    private static readonly Dictionary<string, BucketSize> Buckets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["day"] = BucketSize.Day, ["week"] = BucketSize.Week, ["none"] = BucketSize.None,
    };

    public static (KpiRequest? Request, Dictionary<string, string[]> Errors) Parse(KpiDefinition kpi, IQueryCollection query, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        var known = kpi.Parameters;
        foreach (var unknown in query.Keys.Where(key => !known.Contains(key, StringComparer.OrdinalIgnoreCase)))
            errors[unknown] = [$"'{unknown}' is not a parameter of the {kpi.Name} KPI; it takes {string.Join(", ", known)}."];

        var to = Date(query, "to", today, errors);
        var from = Date(query, "from", to.AddDays(-(DefaultDays - 1)), errors);
        if (!errors.ContainsKey("from") && !errors.ContainsKey("to"))
        {
            if (from > to) errors["from"] = [$"from ({from:yyyy-MM-dd}) is after to ({to:yyyy-MM-dd}); swap them."];
            else if (to.DayNumber - from.DayNumber + 1 > MaxDays)
                errors["to"] = [$"The range spans {to.DayNumber - from.DayNumber + 1} days; ask for at most {MaxDays} at a time."];
        }

        var bucket = BucketSize.Day;
        if (query.TryGetValue("bucket", out var bucketText) && !Buckets.TryGetValue(bucketText.ToString(), out bucket))
            errors["bucket"] = [$"Unknown bucket '{bucketText}'; use day, week or none."];

        var groupBy = GroupBy(kpi, query, errors);
        var playbook = query.TryGetValue("playbook", out var playbookText) && playbookText.ToString() is { Length: > 0 } id ? id : null;
        return errors.Count > 0 ? (null, errors) : (new KpiRequest(from, to, bucket, groupBy, playbook), errors);
    }

    private static DateOnly Date(IQueryCollection query, string name, DateOnly fallback, Dictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(name, out var text) || text.ToString().Length == 0) return fallback;
        if (DateOnly.TryParseExact(text.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        if (DateTimeOffset.TryParse(text.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            return DateOnly.FromDateTime(instant.UtcDateTime);
        errors[name] = [$"'{text}' is not a date; use yyyy-MM-dd (a UTC day) or an ISO 8601 time."];
        return fallback;
    }

    private static List<string> GroupBy(KpiDefinition kpi, IQueryCollection query, Dictionary<string, string[]> errors)
    {
        var requested = query.TryGetValue("groupBy", out var text)
            ? text.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : kpi.DefaultGroupBy.ToArray();
        var groupBy = new List<string>();
        foreach (var name in requested)
        {
            var known = kpi.Groupings.Keys.FirstOrDefault(g => string.Equals(g, name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
                errors["groupBy"] = [$"The {kpi.Name} KPI cannot be grouped by '{name}'; choose from {string.Join(", ", kpi.Groupings.Keys)} (comma-separated)."];
            else if (!groupBy.Contains(known)) groupBy.Add(known);
        }
        foreach (var required in kpi.RequiredGroupBy.Where(r => !groupBy.Contains(r))) groupBy.Add(required);
        return groupBy;
    }
}
