using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>Tasks per CSM and team: created, completed, on-time rate, overdue, time to complete.</summary>
internal static class TasksKpi
{
    public static readonly KpiDefinition Definition = new("tasks",
        "Tasks created, completed, completed on time ÷ completed with a due date, marked overdue, cancelled; median and p90 time from creation to completion.",
        new Dictionary<string, string> { ["csm"] = "assignee", ["team"] = "team" }, ["csm"], ReadAsync);

    private static async Task<IReadOnlyList<KpiGroup>> ReadAsync(KpiReader reader, KpiRequest request, CancellationToken cancellationToken)
    {
        var columns = Definition.ColumnsFor(request);
        await using var connection = await reader.OpenAsync(cancellationToken);
        var groups = new KpiAccumulator<Tally>(request);
        foreach (var row in await BucketReader.CountersAsync(connection, BucketTables.Tasks, request, columns, cancellationToken))
            groups.Add(row.Dimensions, row.Bucket, row, Tally.AddRow);
        foreach (var row in await BucketReader.SketchesAsync(connection, BucketTables.TaskCompletion, request, columns, cancellationToken))
            groups.Add(row.Dimensions, row.Bucket, row, Tally.AddSketch);
        return groups.ToGroups(t => new TaskFigures(t["created"], t["completed"], t["completed_with_due"], t["completed_on_time"],
            Tally.Rate(t["completed_on_time"], t["completed_with_due"]), t["overdue"], t["cancelled"],
            t.Durations.Count, t.Durations.Quantile(0.5), t.Durations.Quantile(0.9)));
    }
}

internal sealed record TaskFigures(long Created, long Completed, long CompletedWithDue, long CompletedOnTime, double? OnTimeRate,
    long Overdue, long Cancelled, long CompletionSamples, long? CompletionMedianMs, long? CompletionP90Ms);
