namespace Playbooks.Metrics.Kpis;

/// <summary>Every KPI the API serves, by name.</summary>
internal static class KpiCatalogue
{
    public static readonly IReadOnlyList<KpiDefinition> All =
    [
        RunsKpi.Definition, FunnelKpi.Definition, GoalsKpi.Definition, VariantsKpi.Definition,
        TasksKpi.Definition, IncidentsKpi.Definition, RenewalsKpi.Definition, NotificationsKpi.Definition,
    ];

    public static KpiDefinition? Find(string name) => All.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));
}
