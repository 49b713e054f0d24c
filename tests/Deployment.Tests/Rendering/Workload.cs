using YamlDotNet.RepresentationModel;

namespace Playbooks.Deployment.Tests.Rendering;

/// <summary>A Deployment or StatefulSet seen through its pod template: what the kubelet will actually run.</summary>
public sealed class Workload(Manifest manifest, RenderedOverlay overlay)
{
    public Manifest Manifest { get; } = manifest;

    public string Name => Manifest.Name;

    public YamlNode? PodSpec => Manifest.Root.Path("spec", "template", "spec");

    public IReadOnlyDictionary<string, string> PodLabels => Manifest.Root.Strings("spec", "template", "metadata", "labels");

    public string? Component => PodLabels.GetValueOrDefault("app.kubernetes.io/component");

    public IReadOnlyList<Container> Containers => PodSpec.Items("containers").Select(node => new Container(node, overlay)).ToList();

    /// <summary>The container named like the workload (each Playbooks pod runs one).</summary>
    public Container MainContainer => Containers.SingleOrDefault(c => c.Name == Name)
        ?? throw new InvalidOperationException($"{Manifest} has no container named '{Name}'.");

    public IReadOnlyList<YamlNode> Volumes => PodSpec.Items("volumes");

    public override string ToString() => Manifest.ToString();
}

/// <summary>One container of a pod template.</summary>
public sealed class Container(YamlNode node, RenderedOverlay overlay)
{
    public YamlNode Node { get; } = node;

    public string Name => Node.Text("name")!;

    public string Image => Node.Text("image") ?? "";

    public IReadOnlyList<(string? Name, int Number)> Ports =>
        Node.Items("ports").Select(port => (port.Text("name"), int.Parse(port.Text("containerPort")!))).ToList();

    /// <summary>The container port a probe or Service names, by name or by number; null when none matches.</summary>
    public int? ResolvePort(string? port) =>
        port is null ? null
        : int.TryParse(port, out var number) ? Ports.Any(p => p.Number == number) ? number : null
        : Ports.Where(p => p.Name == port).Select(p => (int?)p.Number).FirstOrDefault();

    /// <summary>
    /// The environment the container starts with: envFrom ConfigMaps (looked up in the same render) first,
    /// then explicit env, which wins as it does in Kubernetes.
    /// </summary>
    public IReadOnlyDictionary<string, EnvValue> Environment
    {
        get
        {
            var env = new Dictionary<string, EnvValue>();
            foreach (var source in Node.Items("envFrom"))
            {
                if (source.Text("configMapRef", "name") is { } configMap &&
                    overlay.Find("ConfigMap", configMap) is { } found)
                {
                    foreach (var (key, value) in found.Root.Strings("data")) env[key] = new EnvValue(value, null, null);
                }
            }
            foreach (var variable in Node.Items("env"))
            {
                var name = variable.Text("name")!;
                env[name] = variable.Get("valueFrom") switch
                {
                    null => new EnvValue(variable.Text("value") ?? "", null, null),
                    var from when from.Get("secretKeyRef") is { } secret => new EnvValue(null, secret.Text("name"), secret.Text("key")),
                    var from when from.Get("configMapKeyRef") is { } map =>
                        new EnvValue(overlay.Find("ConfigMap", map.Text("name")!)?.Root.Text("data", map.Text("key")!), null, null),
                    _ => new EnvValue(null, null, null),
                };
            }
            return env;
        }
    }

    public override string ToString() => Name;
}

/// <summary>A variable's value when the manifests state it, or the Secret and key it comes from.</summary>
public sealed record EnvValue(string? Value, string? SecretName, string? SecretKey)
{
    public bool FromSecret => SecretName is not null;
}
