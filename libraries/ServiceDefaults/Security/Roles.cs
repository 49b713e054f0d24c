namespace Playbooks.ServiceDefaults.Security;

/// <summary>The kinds of people (and machines) that use Playbooks; a token carries one or more of them in its role claim.</summary>
public static class Roles
{
    /// <summary>CS Ops: design, publish and start playbooks, manage notification templates.</summary>
    public const string CsOps = "cs-ops";

    /// <summary>Customer success managers: their own and their team's tasks, and the accounts (read only).</summary>
    public const string Csm = "csm";

    /// <summary>Site reliability engineers: read runs, journals and metrics; cancel and retry.</summary>
    public const string Sre = "sre";

    /// <summary>Everything, plus API keys and the audit log.</summary>
    public const string Admin = "admin";

    /// <summary>Machine callers with an API key (the CRM): push account events and account data, nothing else.</summary>
    public const string Integration = "integration";

    public static readonly IReadOnlyList<string> All = [CsOps, Csm, Sre, Admin, Integration];

    /// <summary>The roles a person can sign in with; <see cref="Integration"/> belongs to API keys.</summary>
    public static readonly IReadOnlyList<string> People = [CsOps, Csm, Sre, Admin];
}
