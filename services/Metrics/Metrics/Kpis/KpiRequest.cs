using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>A KPI query, validated: the UTC days <see cref="From"/> to <see cref="To"/> (both included), buckets and grouping.</summary>
internal sealed record KpiRequest(DateOnly From, DateOnly To, BucketSize Bucket, IReadOnlyList<string> GroupBy, string? Playbook)
{
    public long FromDay => UnixDay.Of(From);

    public long ToDay => UnixDay.Of(To);

    public string BucketName => Bucket.ToString().ToLowerInvariant();
}
