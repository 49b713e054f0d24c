using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>Delivery success rate per channel: deliveries sent ÷ deliveries that ended (sent or failed).</summary>
internal static class NotificationsKpi
{
    public static readonly KpiDefinition Definition = new("notifications",
        "Deliveries (one per recipient) sent and failed, and sent ÷ (sent + failed), per channel.",
        new Dictionary<string, string> { ["channel"] = "channel" }, ["channel"], ReadAsync);

    private static async Task<IReadOnlyList<KpiGroup>> ReadAsync(KpiReader reader, KpiRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await reader.OpenAsync(cancellationToken);
        var groups = new KpiAccumulator<Tally>(request);
        foreach (var row in await BucketReader.CountersAsync(connection, BucketTables.Notifications, request, Definition.ColumnsFor(request), cancellationToken))
            groups.Add(row.Dimensions, row.Bucket, row, Tally.AddRow);
        return groups.ToGroups(t => new NotificationFigures(t["sent"], t["failed"], Tally.Rate(t["sent"], t["sent"] + t["failed"])));
    }
}

internal sealed record NotificationFigures(long Sent, long Failed, double? SuccessRate);
