using YamlDotNet.RepresentationModel;

namespace Playbooks.Deployment.Tests.Rendering;

/// <summary>One Kubernetes object from a rendered overlay.</summary>
public sealed record Manifest(string Kind, string Name, YamlNode Root)
{
    public IReadOnlyDictionary<string, string> Labels => Root.Strings("metadata", "labels");

    public YamlNode? Spec => Root.Get("spec");

    public override string ToString() => $"{Kind}/{Name}";
}
