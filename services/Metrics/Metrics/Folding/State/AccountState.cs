namespace Playbooks.Metrics.Folding.State;

/// <summary>An account as its latest <c>account.changed</c> described it (a row of <c>metric_accounts</c>).</summary>
internal sealed class AccountState
{
    public string AccountId { get; set; } = "";
    public string Segment { get; set; } = "";
    public string OwnerCsm { get; set; } = "";
    public string Team { get; set; } = "";

    /// <summary>The renewal date as the Unix milliseconds of its UTC midnight.</summary>
    public long? RenewalAt { get; set; }

    public long UpdatedAt { get; set; }

    public bool Dirty { get; set; }

    public object?[] Row => [AccountId, Segment, OwnerCsm, Team, RenewalAt, UpdatedAt];

    public static readonly string[] Columns = ["account_id", "segment", "owner_csm", "team", "renewal_at", "updated_at"];

    public const string Select =
        "SELECT account_id AS AccountId, segment AS Segment, owner_csm AS OwnerCsm, team AS Team, renewal_at AS RenewalAt, updated_at AS UpdatedAt FROM metric_accounts";
}
