using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>The step funnel: of the runs started, how many reached each activity, and how many left with it as their last step.</summary>
internal static class FunnelKpi
{
    public static readonly KpiDefinition Definition = new("funnel",
        "Per activity: runs (by start day) that reached it, as a share of runs started, and runs that exited or were cancelled there.",
        new Dictionary<string, string> { ["playbook"] = "definition_id", ["version"] = "version" }, ["playbook", "version"], ReadAsync, FiltersByPlaybook: true);

    private static async Task<IReadOnlyList<KpiGroup>> ReadAsync(KpiReader reader, KpiRequest request, CancellationToken cancellationToken)
    {
        var columns = Definition.ColumnsFor(request);
        await using var connection = await reader.OpenAsync(cancellationToken);
        var groups = new KpiAccumulator<FunnelTally>(request);
        var runs = await BucketReader.CountersAsync(connection, BucketTables.Runs, request, columns, cancellationToken);
        foreach (var row in runs.Where(r => r["started"] > 0))
            groups.Add(row.Dimensions, row.Bucket, row["started"], static (t, started) => t.RunsStarted += started);
        foreach (var row in await BucketReader.CountersAsync(connection, BucketTables.Steps, request, [.. columns, "activity_id", "activity_type"], cancellationToken))
        {
            var step = new StepCount((string)row.Dimensions[columns.Count]!, (string)row.Dimensions[columns.Count + 1]!, row["reached"], row["dropped"]);
            groups.Add(row.Dimensions[..columns.Count], row.Bucket, step, static (t, s) => t.Add(s));
        }
        return groups.ToGroups(t => t.Figures());
    }

    private sealed class FunnelTally
    {
        private readonly Dictionary<(string Id, string Type), (long Reached, long Dropped)> _steps = [];

        public long RunsStarted { get; set; }

        public void Add(StepCount step)
        {
            var (reached, dropped) = _steps.GetValueOrDefault((step.ActivityId, step.ActivityType));
            _steps[(step.ActivityId, step.ActivityType)] = (reached + step.Reached, dropped + step.Dropped);
        }

        // Most-reached first: for a playbook without loops that is the order of its steps, and where runs branch, the busier path.
        public FunnelFigures Figures() => new(RunsStarted, _steps
            .OrderByDescending(s => s.Value.Reached).ThenBy(s => s.Key.Id, StringComparer.Ordinal)
            .Select(s => new FunnelStep(s.Key.Id, s.Key.Type, s.Value.Reached, Tally.Rate(s.Value.Reached, RunsStarted), s.Value.Dropped))
            .ToList());
    }
}

internal readonly record struct StepCount(string ActivityId, string ActivityType, long Reached, long Dropped);

internal sealed record FunnelFigures(long RunsStarted, IReadOnlyList<FunnelStep> Steps);

internal sealed record FunnelStep(string ActivityId, string ActivityType, long Reached, double? ReachedRate, long Dropped);
