namespace Playbooks.Metrics.Kpis;

/// <summary>The groupings of the run KPIs: the playbook is its definition id.</summary>
internal static class PlaybookGroupings
{
    public static readonly IReadOnlyDictionary<string, string> Columns = new Dictionary<string, string>
    {
        ["playbook"] = "definition_id", ["version"] = "version", ["segment"] = "segment",
    };
}
