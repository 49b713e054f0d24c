namespace Playbooks.Metrics.Kpis;

/// <summary>A KPI's answer: the range and grouping asked for, and per group its figures for the whole range and per bucket.</summary>
internal sealed record KpiReport(string Kpi, DateOnly From, DateOnly To, string Bucket, IReadOnlyList<string> GroupBy, IReadOnlyList<KpiGroup> Groups);

/// <summary>
/// One group's figures. <see cref="Key"/> maps each grouping to its value (null: not known, e.g. an account with no segment).
/// Buckets are listed only where there is data; a week bucket is labelled by its Monday, so the first may start before <c>from</c>.
/// </summary>
internal sealed record KpiGroup(IReadOnlyDictionary<string, object?> Key, object Total, IReadOnlyList<KpiBucket> Buckets);

internal sealed record KpiBucket(DateOnly Start, object Figures);
