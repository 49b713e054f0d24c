using YamlDotNet.RepresentationModel;

namespace Playbooks.Deployment.Tests.Rendering;

/// <summary>
/// What a rendered overlay's NetworkPolicies allow, by Kubernetes' rules: a pod selected by a policy of a
/// direction is isolated in that direction and gets only what some selecting policy's rules allow; a connection
/// needs both the source's egress and the destination's ingress. Peers given as ipBlock count as matching any
/// pod, so a loose CIDR shows up as a hole rather than hiding one.
/// </summary>
public sealed class NetworkModel(RenderedOverlay overlay)
{
    public const string Ingress = "Ingress";
    public const string Egress = "Egress";

    private readonly IReadOnlyList<Manifest> _policies = overlay.OfKind("NetworkPolicy").ToList();

    /// <summary>The namespace's labels as namespaceSelectors see them (kubernetes.io/metadata.name included).</summary>
    private readonly IReadOnlyDictionary<string, string> _namespaceLabels = NamespaceLabels(overlay);

    public IReadOnlyList<Manifest> Policies => _policies;

    public bool IsIsolated(Workload pod, string direction) =>
        Selecting(pod).Any(policy => PolicyTypes(policy).Contains(direction));

    /// <summary>The rules (ingress or egress) of every policy that selects the pod in that direction.</summary>
    public IEnumerable<YamlNode> Rules(Workload pod, string direction) =>
        Selecting(pod).Where(policy => PolicyTypes(policy).Contains(direction))
            .SelectMany(policy => policy.Root.Items("spec", direction == Ingress ? "ingress" : "egress"));

    public bool CanConnect(Workload source, Workload destination, int port)
    {
        var egress = !IsIsolated(source, Egress) ||
            Rules(source, Egress).Any(rule => AllowsPeer(rule, "to", destination) && AllowsPort(rule, destination, port));
        var ingress = !IsIsolated(destination, Ingress) ||
            Rules(destination, Ingress).Any(rule => AllowsPeer(rule, "from", source) && AllowsPort(rule, destination, port));
        return egress && ingress;
    }

    /// <summary>
    /// Whether the pod may connect on the port to something that is not a pod of this namespace (a managed database,
    /// another namespace): an egress rule with no peers, an ipBlock peer, or a namespaceSelector for other namespaces.
    /// A named port cannot be resolved outside the render, so it does not count.
    /// </summary>
    public bool CanSendOutside(Workload source, int port) =>
        !IsIsolated(source, Egress) ||
        Rules(source, Egress).Any(rule =>
        {
            var peers = rule.Items("to");
            var outside = peers.Count == 0 || peers.Any(peer =>
                peer.Get("ipBlock") is not null ||
                (peer.Get("namespaceSelector") is { } namespaces && !SelectsOnlyThisNamespace(namespaces)));
            return outside && AllowsPort(rule, null, port);
        });

    /// <summary>Whether anything outside the namespace (another namespace, an IP range, anyone) may connect to the pod.</summary>
    public bool IsReachableFromOutside(Workload pod) =>
        !IsIsolated(pod, Ingress) ||
        Rules(pod, Ingress).Any(rule =>
        {
            var peers = rule.Items("from");
            return peers.Count == 0 || peers.Any(peer =>
                peer.Get("ipBlock") is not null ||
                (peer.Get("namespaceSelector") is { } namespaces && !SelectsOnlyThisNamespace(namespaces)));
        });

    private IEnumerable<Manifest> Selecting(Workload pod) =>
        _policies.Where(policy => LabelSelector.Matches(policy.Root.Path("spec", "podSelector"), pod.PodLabels));

    private static IReadOnlyList<string> PolicyTypes(Manifest policy)
    {
        var declared = policy.Root.Items("spec", "policyTypes").Select(t => t.Text()!).ToList();
        if (declared.Count > 0) return declared;
        // Kubernetes' default: Ingress always, Egress when the policy has egress rules.
        return policy.Root.Path("spec", "egress") is null ? [Ingress] : [Ingress, Egress];
    }

    private bool AllowsPeer(YamlNode rule, string peersKey, Workload other)
    {
        var peers = rule.Items(peersKey);
        return peers.Count == 0 || peers.Any(peer => PeerMatches(peer, other));
    }

    private bool PeerMatches(YamlNode peer, Workload pod)
    {
        if (peer.Get("ipBlock") is not null) return true;
        var namespaces = peer.Get("namespaceSelector");
        var pods = peer.Get("podSelector");
        // Without a namespaceSelector a podSelector means this namespace; with one, the namespaces it matches.
        if (namespaces is not null && !LabelSelector.Matches(namespaces, _namespaceLabels)) return false;
        return pods is null || LabelSelector.Matches(pods, pod.PodLabels);
    }

    private static bool AllowsPort(YamlNode rule, Workload? destination, int port)
    {
        var ports = rule.Items("ports");
        return ports.Count == 0 || ports.Any(allowed =>
        {
            if ((allowed.Text("protocol") ?? "TCP") != "TCP") return false;
            var value = allowed.Text("port");
            if (value is null) return true;
            if (int.TryParse(value, out var number))
                return port == number || (int.TryParse(allowed.Text("endPort"), out var end) && port > number && port <= end);
            return destination?.Containers.Any(c => c.Ports.Any(p => p.Name == value && p.Number == port)) ?? false;
        });
    }

    private bool SelectsOnlyThisNamespace(YamlNode namespaces) =>
        namespaces.Strings("matchLabels").TryGetValue("kubernetes.io/metadata.name", out var name) &&
        _namespaceLabels.GetValueOrDefault("kubernetes.io/metadata.name") == name;

    private static IReadOnlyDictionary<string, string> NamespaceLabels(RenderedOverlay overlay)
    {
        var name = overlay.OfKind("NetworkPolicy").Select(p => p.Root.Text("metadata", "namespace")).FirstOrDefault(n => n is not null)
            ?? "default";
        var labels = new Dictionary<string, string>(overlay.Find("Namespace", name)?.Labels ?? new Dictionary<string, string>())
        {
            ["kubernetes.io/metadata.name"] = name,
        };
        return labels;
    }
}
