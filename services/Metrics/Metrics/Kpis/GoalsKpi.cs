using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>Effectiveness: of the runs started, the share that reached the playbook's goal in its window.</summary>
internal static class GoalsKpi
{
    public static readonly KpiDefinition Definition = new("goals",
        "Goal-reached rate: runs (by start day) that reached the playbook's goal ÷ runs started.",
        PlaybookGroupings.Columns, ["playbook", "version"], ReadAsync, FiltersByPlaybook: true);

    private static async Task<IReadOnlyList<KpiGroup>> ReadAsync(KpiReader reader, KpiRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await reader.OpenAsync(cancellationToken);
        var groups = new KpiAccumulator<Tally>(request);
        // Run rows also hold the day's completions; a day with neither starts nor goals is no bucket of this KPI.
        var rows = await BucketReader.CountersAsync(connection, BucketTables.Runs, request, Definition.ColumnsFor(request), cancellationToken);
        foreach (var row in rows.Where(r => r["started"] + r["goal_reached"] > 0))
            groups.Add(row.Dimensions, row.Bucket, row, Tally.AddRow);
        return groups.ToGroups(t => new GoalFigures(t["started"], t["goal_reached"], Tally.Rate(t["goal_reached"], t["started"])));
    }
}

internal sealed record GoalFigures(long RunsStarted, long GoalReached, double? GoalRate);
