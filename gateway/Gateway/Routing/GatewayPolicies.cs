using Playbooks.ServiceDefaults.Security;

namespace Playbooks.Gateway.Routing;

/// <summary>
/// The coarse check at the door, per service: a caller must be signed in everywhere, and only roles that read metrics
/// get through to the metrics service. Each service then applies its finer per-endpoint policies.
/// </summary>
internal static class GatewayPolicies
{
    public static string For(string service) => service switch
    {
        "metrics" => Access.ReadMetrics,
        _ => "Default",
    };
}
