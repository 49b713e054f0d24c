using YamlDotNet.RepresentationModel;

namespace Playbooks.Deployment.Tests.Rendering;

/// <summary>Null-tolerant navigation of parsed manifests: a missing field reads as null or empty.</summary>
public static class YamlNodes
{
    public static YamlNode? Get(this YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public static YamlNode? Path(this YamlNode? node, params string[] keys) =>
        keys.Aggregate(node, (current, key) => current.Get(key));

    public static string? Text(this YamlNode? node, params string[] keys) =>
        node.Path(keys) is YamlScalarNode scalar ? scalar.Value : null;

    public static IReadOnlyList<YamlNode> Items(this YamlNode? node, params string[] keys) =>
        node.Path(keys) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    /// <summary>A string-to-string mapping, such as labels, a selector's matchLabels or a ConfigMap's data.</summary>
    public static IReadOnlyDictionary<string, string> Strings(this YamlNode? node, params string[] keys) =>
        node.Path(keys) is YamlMappingNode map
            ? map.Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => (pair.Value as YamlScalarNode)?.Value ?? "")
            : new Dictionary<string, string>();
}
