namespace Playbooks.Metrics.Folding.State;

/// <summary>An incident as it affects one account (a row of <c>metric_incidents</c>): each affected account is owed its own notices.</summary>
internal sealed class IncidentState
{
    public string IncidentId { get; set; } = "";
    public string AccountId { get; set; } = "";
    public string Severity { get; set; } = "";
    public long OpenedAt { get; set; }
    public long? ResolvedAt { get; set; }
    public long? FirstNoticeAt { get; set; }
    public long? LastNoticeAt { get; set; }

    public bool Dirty { get; set; }

    public (string, string) Key => (IncidentId, AccountId);

    public object?[] Row => [IncidentId, AccountId, Severity, OpenedAt, ResolvedAt, FirstNoticeAt, LastNoticeAt];

    public static readonly string[] Columns = ["incident_id", "account_id", "severity", "opened_at", "resolved_at", "first_notice_at", "last_notice_at"];

    public const string Select =
        """
        SELECT incident_id AS IncidentId, account_id AS AccountId, severity AS Severity, opened_at AS OpenedAt, resolved_at AS ResolvedAt,
            first_notice_at AS FirstNoticeAt, last_notice_at AS LastNoticeAt
        FROM metric_incidents
        """;
}
