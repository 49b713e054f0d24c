using YamlDotNet.RepresentationModel;

namespace Playbooks.Deployment.Tests.Rendering;

/// <summary>Every object an overlay renders to, with look-ups by kind and name.</summary>
public sealed class RenderedOverlay
{
    private RenderedOverlay(string name, IReadOnlyList<Manifest> manifests)
    {
        Name = name;
        Manifests = manifests;
        Workloads = manifests.Where(m => m.Kind is "Deployment" or "StatefulSet").Select(m => new Workload(m, this)).ToList();
    }

    public string Name { get; }

    public IReadOnlyList<Manifest> Manifests { get; }

    /// <summary>Deployments and StatefulSets: everything that runs pods.</summary>
    public IReadOnlyList<Workload> Workloads { get; }

    /// <summary>The gateway and the four services (label app.kubernetes.io/component gateway or service).</summary>
    public IReadOnlyList<Workload> SuiteDeployments =>
        Workloads.Where(w => w.Manifest.Kind == "Deployment" && w.Component is "gateway" or "service").ToList();

    public IEnumerable<Manifest> OfKind(string kind) => Manifests.Where(m => m.Kind == kind);

    public Manifest? Find(string kind, string name) => Manifests.FirstOrDefault(m => m.Kind == kind && m.Name == name);

    public Workload Deployment(string name) =>
        Workloads.SingleOrDefault(w => w.Manifest.Kind == "Deployment" && w.Name == name)
        ?? throw new InvalidOperationException($"The {Name} overlay renders no Deployment named '{name}'.");

    public static RenderedOverlay Parse(string name, string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var manifests = stream.Documents
            .Select(document => document.RootNode)
            .Where(root => root is YamlMappingNode)
            .Select(root => new Manifest(root.Text("kind") ?? "", root.Text("metadata", "name") ?? "", root))
            .ToList();
        return new RenderedOverlay(name, manifests);
    }

    public override string ToString() => Name;
}
