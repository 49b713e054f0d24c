using Microsoft.Extensions.Configuration;
using Playbooks.ServiceDefaults.Hosting;
using Yarp.ReverseProxy.Configuration;

namespace Playbooks.Gateway.Routing;

/// <summary>
/// YARP routes and clusters for the suite: <c>/api/{service}/**</c> goes to that service unchanged, and
/// <c>/api/{service}/health/**</c> reaches the service's own health endpoints (open to probes and load balancers).
/// </summary>
internal static class ProxyRoutes
{
    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) From(IConfiguration configuration)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var service in SuiteServices.Names)
        {
            // One address, or several separated by commas (replicas): YARP balances across them.
            var addresses = configuration[SuiteServices.AddressKey(service)]?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                ?? throw new StartupFailure($"The gateway does not know where the {service} service is: set Playbooks__Services__{service} (e.g. http://127.0.0.1:5101).");
            routes.Add(new RouteConfig
            {
                RouteId = $"{service}-health",
                ClusterId = service,
                Order = 0,
                Match = new RouteMatch { Path = $"/api/{service}/health/{{**rest}}" },
                AuthorizationPolicy = "Anonymous",
                Transforms = [new Dictionary<string, string> { ["PathPattern"] = "/health/{**rest}" }],
            });
            routes.Add(new RouteConfig
            {
                RouteId = service,
                ClusterId = service,
                Order = 1,
                Match = new RouteMatch { Path = $"/api/{service}/{{**rest}}" },
                // Checked here and again by the service: the gateway turns away what no role of the caller's could reach.
                AuthorizationPolicy = GatewayPolicies.For(service),
            });
            clusters.Add(new ClusterConfig
            {
                ClusterId = service,
                Destinations = addresses.Select((address, i) => (address, i)).ToDictionary(d => $"replica-{d.i + 1}", d => new DestinationConfig { Address = d.address }),
                LoadBalancingPolicy = "PowerOfTwoChoices",
                // A hung service must not hang callers: YARP answers 504 past this.
                HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(30) },
                // With replicas, one that stops answering its readiness probe (or dies) is taken out of rotation
                // within seconds instead of failing every other request; a single address is always tried.
                HealthCheck = addresses.Length < 2 ? null : new HealthCheckConfig
                {
                    Active = new ActiveHealthCheckConfig
                    {
                        Enabled = true, Interval = TimeSpan.FromSeconds(3), Timeout = TimeSpan.FromSeconds(2), Policy = "ConsecutiveFailures", Path = "/health/ready",
                    },
                },
            });
        }
        return (routes, clusters);
    }
}
