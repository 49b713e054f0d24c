namespace Playbooks.Bench.Metrics;

/// <summary>
/// What CS Ops dashboards ask for: each KPI over the last week, month or quarter, for one playbook or across all, by the
/// groupings people use. Ranges end on a random day of the seeded year.
/// </summary>
internal static class QueryMix
{
    public static readonly IReadOnlyList<(string Kpi, int Days, Func<Random, string> Query)> Templates =
    [
        ("runs", 30, r => $"groupBy=version&playbook={TenMillionEvents.PlaybookName(r.Next(TenMillionEvents.PlaybookCount))}&bucket=day"),
        ("runs", 90, _ => "groupBy=playbook&bucket=week"),
        ("funnel", 30, r => $"playbook={TenMillionEvents.PlaybookName(r.Next(TenMillionEvents.PlaybookCount))}&bucket=none"),
        ("goals", 90, _ => "groupBy=playbook,segment&bucket=week"),
        ("variants", 30, _ => "bucket=week"),
        ("tasks", 30, _ => "groupBy=csm&bucket=week"),
        ("tasks", 90, _ => "groupBy=team&bucket=day"),
        ("incidents", 90, _ => "groupBy=severity&bucket=week"),
        ("renewals", 30, _ => "groupBy=segment&bucket=week"),
        ("notifications", 90, _ => "bucket=day"),
        ("runs", 7, _ => "groupBy=playbook,version,segment&bucket=day"),
    ];

    public static string Path((string Kpi, int Days, Func<Random, string> Query) template, Random random)
    {
        var to = TenMillionEvents.FirstDay.AddDays(template.Days + random.Next(TenMillionEvents.Days - template.Days));
        var from = to.AddDays(1 - template.Days);
        return $"/api/metrics/kpis/{template.Kpi}?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}&{template.Query(random)}";
    }
}
