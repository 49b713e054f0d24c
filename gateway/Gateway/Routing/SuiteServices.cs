namespace Playbooks.Gateway.Routing;

/// <summary>The services behind the gateway: each owns <c>/api/{name}/**</c>.</summary>
public static class SuiteServices
{
    public static readonly IReadOnlyList<string> Names = ["engine", "tasks", "notifications", "metrics"];

    /// <summary>Configuration key holding a service's base address, e.g. <c>Playbooks:Services:engine</c>.</summary>
    public static string AddressKey(string service) => $"Playbooks:Services:{service}";
}
