using Playbooks.Storage;

namespace Playbooks.Metrics.Storage;

/// <summary>The metrics service's schema, step by step.</summary>
public static class MetricsMigrations
{
    public static readonly IReadOnlyList<Migration> All = [];
}
