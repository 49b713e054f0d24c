using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>Conversion per branch of an A/B split: per variant, the share of its runs that reached the goal.</summary>
internal static class VariantsKpi
{
    public static readonly KpiDefinition Definition = new("variants",
        "Conversion per A/B variant: runs assigned the variant (by start day) that reached the goal ÷ runs assigned it.",
        new Dictionary<string, string> { ["playbook"] = "definition_id", ["version"] = "version", ["variant"] = "variant" },
        ["playbook", "version", "variant"], ReadAsync, FiltersByPlaybook: true, Required: ["variant"]);

    private static async Task<IReadOnlyList<KpiGroup>> ReadAsync(KpiReader reader, KpiRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await reader.OpenAsync(cancellationToken);
        var groups = new KpiAccumulator<Tally>(request);
        foreach (var row in await BucketReader.CountersAsync(connection, BucketTables.Variants, request, Definition.ColumnsFor(request), cancellationToken))
            groups.Add(row.Dimensions, row.Bucket, row, Tally.AddRow);
        return groups.ToGroups(t => new VariantFigures(t["runs"], t["goal_reached"], Tally.Rate(t["goal_reached"], t["runs"])));
    }
}

internal sealed record VariantFigures(long Runs, long GoalReached, double? GoalRate);
