using Playbooks.Deployment.Tests.Rendering;
using Playbooks.Gateway;
using Playbooks.Gateway.Routing;
using Xunit;

namespace Playbooks.Deployment.Tests;

/// <summary>Who can reach whom in each overlay, evaluated from the rendered NetworkPolicies.</summary>
public sealed class NetworkPolicyTests
{
    private const int Kestrel = 8080;
    private const int Dns = 53;
    private const int OtlpGrpc = 4317;
    private const int OtlpHttp = 4318;
    private const int Postgres = 5432;
    private const int Redis = 6379;

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Every_pod_is_denied_traffic_in_and_out_unless_a_policy_allows_it(string overlay)
    {
        var network = new NetworkModel(Kustomize.Overlay(overlay));
        var problems = new Problems();
        // An explicit default deny, so a pod added later is isolated before anyone writes a policy for it.
        problems.Check(network.Policies.Any(policy =>
                policy.Root.Strings("spec", "podSelector", "matchLabels").Count == 0 &&
                policy.Root.Items("spec", "podSelector", "matchExpressions").Count == 0 &&
                policy.Root.Items("spec", "policyTypes").Select(t => t.Text()).Order().SequenceEqual([NetworkModel.Egress, NetworkModel.Ingress]) &&
                policy.Root.Path("spec", "ingress") is null && policy.Root.Path("spec", "egress") is null),
            "no policy denies all ingress and egress to every pod of the namespace");
        foreach (var pod in Kustomize.Overlay(overlay).Workloads)
        {
            problems.Check(network.IsIsolated(pod, NetworkModel.Ingress), $"{pod}: accepts any ingress (no policy isolates it)");
            problems.Check(network.IsIsolated(pod, NetworkModel.Egress), $"{pod}: may send anywhere (no policy isolates it)");
        }
        problems.AssertNone($"Default deny in the {overlay} overlay");
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Only_the_gateway_is_reachable_from_outside_the_namespace(string overlay)
    {
        var network = new NetworkModel(Kustomize.Overlay(overlay));
        var problems = new Problems();
        foreach (var pod in Kustomize.Overlay(overlay).Workloads)
        {
            var expected = pod.Name == GatewayExtensions.Name;
            problems.Check(network.IsReachableFromOutside(pod) == expected,
                expected ? $"{pod}: cannot be reached from outside the namespace" : $"{pod}: can be reached from outside the namespace");
        }
        problems.AssertNone($"Exposure in the {overlay} overlay");
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Gateway_admits_outside_traffic_only_from_namespaces_chosen_by_label(string overlay)
    {
        var rendered = Kustomize.Overlay(overlay);
        var rules = new NetworkModel(rendered).Rules(rendered.Deployment(GatewayExtensions.Name), NetworkModel.Ingress).ToList();
        var problems = new Problems();
        problems.Check(rules.Count > 0, "gateway: no ingress rule, so nothing can reach the suite");
        foreach (var rule in rules)
        {
            var peers = rule.Items("from");
            // Not the whole world: an ingress controller's namespace, opted in with a label (k8s/README.md).
            problems.Check(peers.Count > 0, "gateway: an ingress rule admits every source");
            foreach (var peer in peers)
            {
                problems.Check(peer.Get("ipBlock") is null, "gateway: an ingress rule admits an IP range");
                problems.Check(peer.Get("namespaceSelector") is null || peer.Strings("namespaceSelector", "matchLabels").Count > 0,
                    "gateway: an ingress rule admits every namespace");
            }
            problems.Check(rule.Items("ports").Select(p => p.Text("port")).SequenceEqual([Kestrel.ToString()]),
                "gateway: outside traffic is admitted to ports other than Kestrel's");
        }
        problems.AssertNone($"The gateway's door in the {overlay} overlay");
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Pods_reach_each_other_exactly_along_the_suites_paths(string overlay)
    {
        var rendered = Kustomize.Overlay(overlay);
        var network = new NetworkModel(rendered);
        var allowed = ExpectedPaths(rendered);
        var problems = new Problems();
        foreach (var source in rendered.Workloads)
        {
            foreach (var destination in rendered.Workloads)
            {
                foreach (var port in destination.Containers.SelectMany(c => c.Ports).Select(p => p.Number).Distinct())
                {
                    var expected = allowed.Contains((source.Name, destination.Name, port));
                    var actual = network.CanConnect(source, destination, port);
                    problems.Check(actual == expected,
                        $"{source.Name} -> {destination.Name}:{port} is {(actual ? "allowed" : "blocked")}, should be {(expected ? "allowed" : "blocked")}");
                }
            }
        }
        problems.AssertNone($"Paths in the {overlay} overlay");
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Services_send_only_to_postgres_redis_the_collector_and_dns(string overlay)
    {
        var rendered = Kustomize.Overlay(overlay);
        var network = new NetworkModel(rendered);
        int[] permitted = [Dns, OtlpGrpc, OtlpHttp, Postgres, Redis];
        var problems = new Problems();
        foreach (var service in SuiteServices.Names.Select(rendered.Deployment))
        {
            var rules = network.Rules(service, NetworkModel.Egress).ToList();
            var ports = rules.SelectMany(rule => rule.Items("ports")).Select(p => p.Text("port")).ToList();
            // A rule without ports opens every port of its peers; a named port cannot be checked here.
            problems.Check(rules.All(rule => rule.Items("ports").Count > 0), $"{service}: an egress rule allows every port");
            foreach (var port in ports)
                problems.Check(int.TryParse(port, out var number) && permitted.Contains(number), $"{service}: egress allowed to port '{port}'");
            foreach (var needed in new[] { Dns, OtlpGrpc, Postgres, Redis })
                problems.Check(ports.Contains(needed.ToString()), $"{service}: no egress to port {needed}, which it needs");
        }
        problems.AssertNone($"Service egress in the {overlay} overlay");
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Gateway_sends_only_to_the_services_postgres_the_collector_and_dns(string overlay)
    {
        var rendered = Kustomize.Overlay(overlay);
        var network = new NetworkModel(rendered);
        // PostgreSQL for its own schema (API keys, their audit log); never Redis, which it does not use.
        int[] permitted = [Dns, Kestrel, OtlpGrpc, OtlpHttp, Postgres];
        var problems = new Problems();
        foreach (var rule in network.Rules(rendered.Deployment(GatewayExtensions.Name), NetworkModel.Egress))
        {
            problems.Check(rule.Items("ports").Count > 0, "gateway: an egress rule allows every port");
            foreach (var port in rule.Items("ports").Select(p => p.Text("port")))
                problems.Check(int.TryParse(port, out var number) && permitted.Contains(number), $"gateway: egress allowed to port '{port}'");
        }
        problems.AssertNone($"Gateway egress in the {overlay} overlay");
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Gateway_reaches_postgres_wherever_it_runs_and_never_redis(string overlay)
    {
        var rendered = Kustomize.Overlay(overlay);
        var network = new NetworkModel(rendered);
        var gateway = rendered.Deployment(GatewayExtensions.Name);
        var workloads = rendered.Workloads.ToDictionary(w => w.Name);
        var problems = new Problems();
        // In the namespace (dev's StatefulSet) both ends must allow it; a managed server (prod) only needs the egress.
        if (workloads.TryGetValue("postgres", out var postgres))
            problems.Check(network.CanConnect(gateway, postgres, Postgres), $"gateway -> postgres:{Postgres} is blocked, and the gateway keeps its API keys there");
        else
            problems.Check(network.CanSendOutside(gateway, Postgres), $"gateway: no egress to port {Postgres} outside the namespace, where PostgreSQL is");
        if (workloads.TryGetValue("redis", out var redis))
            problems.Check(!network.CanConnect(gateway, redis, Redis), $"gateway -> redis:{Redis} is allowed, and the gateway does not use Redis");
        problems.Check(!network.CanSendOutside(gateway, Redis), $"gateway: may send to port {Redis} outside the namespace, and it does not use Redis");
        problems.AssertNone($"The gateway's datastores in the {overlay} overlay");
    }

    /// <summary>The suite's intended paths between pods in the namespace; everything else must be blocked.</summary>
    private static HashSet<(string From, string To, int Port)> ExpectedPaths(RenderedOverlay rendered)
    {
        var paths = new HashSet<(string, string, int)>();
        var present = rendered.Workloads.Select(w => w.Name).ToHashSet();
        // The gateway's own schema (API keys, their audit log) is in the suite's PostgreSQL; it never talks to Redis.
        if (present.Contains("postgres")) paths.Add((GatewayExtensions.Name, "postgres", Postgres));
        foreach (var service in SuiteServices.Names)
        {
            paths.Add((GatewayExtensions.Name, service, Kestrel));
            foreach (var datastore in new[] { ("postgres", Postgres), ("redis", Redis) })
            {
                if (present.Contains(datastore.Item1)) paths.Add((service, datastore.Item1, datastore.Item2));
            }
        }
        foreach (var sender in SuiteServices.Names.Append(GatewayExtensions.Name))
        {
            paths.Add((sender, "otel-collector", OtlpGrpc));
            paths.Add((sender, "otel-collector", OtlpHttp));
        }
        return paths;
    }
}
