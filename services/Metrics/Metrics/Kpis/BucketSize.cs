namespace Playbooks.Metrics.Kpis;

/// <summary>How a KPI's figures are split over time besides the range's total: per UTC day, per week (from Monday), or not at all.</summary>
internal enum BucketSize
{
    Day,
    Week,
    None,
}
