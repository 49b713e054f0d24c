using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>Runs started, completed, exited, faulted and cancelled per playbook and version, with the median and p90 duration.</summary>
internal static class RunsKpi
{
    public static readonly KpiDefinition Definition = new("runs",
        "Runs started, completed, exited, faulted and cancelled; median and p90 duration of runs that completed or exited.",
        PlaybookGroupings.Columns, ["playbook", "version"], ReadAsync, FiltersByPlaybook: true);

    private static async Task<IReadOnlyList<KpiGroup>> ReadAsync(KpiReader reader, KpiRequest request, CancellationToken cancellationToken)
    {
        var columns = Definition.ColumnsFor(request);
        await using var connection = await reader.OpenAsync(cancellationToken);
        var groups = new KpiAccumulator<Tally>(request);
        foreach (var row in await BucketReader.CountersAsync(connection, BucketTables.Runs, request, columns, cancellationToken))
            groups.Add(row.Dimensions, row.Bucket, row, Tally.AddRow);
        foreach (var row in await BucketReader.SketchesAsync(connection, BucketTables.RunDurations, request, columns, cancellationToken))
            groups.Add(row.Dimensions, row.Bucket, row, Tally.AddSketch);
        return groups.ToGroups(t => new RunFigures(t["started"], t["completed"], t["exited"], t["faulted"], t["cancelled"],
            t.Durations.Count, t.Durations.Quantile(0.5), t.Durations.Quantile(0.9)));
    }
}

internal sealed record RunFigures(long Started, long Completed, long Exited, long Faulted, long Cancelled,
    long DurationSamples, long? DurationMedianMs, long? DurationP90Ms);
