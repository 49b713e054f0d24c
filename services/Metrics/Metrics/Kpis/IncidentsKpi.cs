using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>Incident communication: minutes to the first customer notice, and how often later notices kept the severity's cadence.</summary>
internal static class IncidentsKpi
{
    public static readonly KpiDefinition Definition = new("incidents",
        "Per affected account of incidents opened in range: median and p90 minutes to the first customer notice; share of later notices sent within the severity's cadence.",
        new Dictionary<string, string> { ["severity"] = "severity" }, ["severity"], ReadAsync);

    private static async Task<IReadOnlyList<KpiGroup>> ReadAsync(KpiReader reader, KpiRequest request, CancellationToken cancellationToken)
    {
        var columns = Definition.ColumnsFor(request);
        await using var connection = await reader.OpenAsync(cancellationToken);
        var groups = new KpiAccumulator<Tally>(request);
        foreach (var row in await BucketReader.CountersAsync(connection, BucketTables.Incidents, request, columns, cancellationToken))
            groups.Add(row.Dimensions, row.Bucket, row, Tally.AddRow);
        foreach (var row in await BucketReader.SketchesAsync(connection, BucketTables.FirstNotice, request, columns, cancellationToken))
            groups.Add(row.Dimensions, row.Bucket, row, Tally.AddSketch);
        return groups.ToGroups(t => new IncidentFigures(t["opened"], t["noticed"], Minutes(t.Durations.Quantile(0.5)), Minutes(t.Durations.Quantile(0.9)),
            t["updates"], t["timed_updates"], t["on_cadence"], Tally.Rate(t["on_cadence"], t["timed_updates"])));
    }

    private static double? Minutes(long? milliseconds) => milliseconds is { } ms ? Math.Round(ms / 60_000.0, 2) : null;
}

internal sealed record IncidentFigures(long Opened, long Noticed, double? FirstNoticeMedianMinutes, double? FirstNoticeP90Minutes,
    long Updates, long TimedUpdates, long OnCadence, double? CadenceAdherence);
