namespace Playbooks.Metrics.Kpis;

/// <summary>
/// One KPI the API serves: how it may be grouped (API name → column), how it is grouped when the caller does not say,
/// and how it reads its figures. docs/metrics.md defines each one precisely.
/// </summary>
internal sealed record KpiDefinition(
    string Name,
    string Summary,
    IReadOnlyDictionary<string, string> Groupings,
    IReadOnlyList<string> DefaultGroupBy,
    Func<KpiReader, KpiRequest, CancellationToken, Task<IReadOnlyList<KpiGroup>>> ReadAsync,
    bool FiltersByPlaybook = false,
    IReadOnlyList<string>? Required = null)
{
    public IReadOnlyList<string> RequiredGroupBy => Required ?? [];

    public IReadOnlyList<string> Parameters =>
        FiltersByPlaybook ? ["from", "to", "bucket", "groupBy", "playbook"] : ["from", "to", "bucket", "groupBy"];

    /// <summary>The columns behind the request's grouping, in its order.</summary>
    public IReadOnlyList<string> ColumnsFor(KpiRequest request) => request.GroupBy.Select(g => Groupings[g]).ToList();
}
