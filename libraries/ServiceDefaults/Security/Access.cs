using Microsoft.AspNetCore.Authorization;

namespace Playbooks.ServiceDefaults.Security;

/// <summary>
/// Who may do what, as named authorization policies that the gateway and every service share, so a route is guarded
/// by the same rule at the door and behind it. Admins pass every policy.
/// </summary>
public static class Access
{
    public const string Design = "design";
    public const string ReadPlaybooks = "read-playbooks";
    public const string ReadRuns = "read-runs";
    public const string Operate = "operate";
    public const string ReadAccounts = "read-accounts";
    public const string FeedAccounts = "feed-accounts";
    public const string WorkTasks = "work-tasks";
    public const string ManageQueues = "manage-queues";
    public const string ManageTemplates = "manage-templates";
    public const string ReadDeliveries = "read-deliveries";
    public const string RetryDeliveries = "retry-deliveries";
    public const string ReadMetrics = "read-metrics";
    public const string Administer = "administer";

    /// <summary>The roles each policy admits besides <see cref="Roles.Admin"/>.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Policies = new Dictionary<string, string[]>
    {
        [Design] = [Roles.CsOps],
        [ReadPlaybooks] = [Roles.CsOps, Roles.Sre],
        [ReadRuns] = [Roles.CsOps, Roles.Sre],
        [Operate] = [Roles.Sre],
        [ReadAccounts] = [Roles.CsOps, Roles.Csm],
        [FeedAccounts] = [Roles.CsOps, Roles.Integration],
        [WorkTasks] = [Roles.CsOps, Roles.Csm],
        [ManageQueues] = [Roles.CsOps],
        [ManageTemplates] = [Roles.CsOps],
        [ReadDeliveries] = [Roles.CsOps, Roles.Sre],
        [RetryDeliveries] = [Roles.Sre],
        [ReadMetrics] = [Roles.CsOps, Roles.Sre],
        [Administer] = [],
    };

    internal static void AddPolicies(AuthorizationOptions options)
    {
        foreach (var (name, roles) in Policies)
            options.AddPolicy(name, policy => policy.RequireAuthenticatedUser().RequireRole([.. roles, Roles.Admin]));
        // Anything not marked otherwise needs a signed-in caller: a route added without thought is closed, not open.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
