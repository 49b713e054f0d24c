using YamlDotNet.RepresentationModel;

namespace Playbooks.Deployment.Tests.Rendering;

/// <summary>A Kubernetes label selector (matchLabels and matchExpressions), as NetworkPolicies and PDBs use it.</summary>
public static class LabelSelector
{
    /// <summary>Whether <paramref name="selector"/> selects <paramref name="labels"/>; an empty selector selects everything.</summary>
    public static bool Matches(YamlNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in selector.Strings("matchLabels"))
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value) return false;
        }
        foreach (var expression in selector.Items("matchExpressions"))
        {
            var key = expression.Text("key")!;
            var values = expression.Items("values").Select(v => ((YamlScalarNode)v).Value).ToHashSet();
            var has = labels.TryGetValue(key, out var actual);
            var holds = expression.Text("operator") switch
            {
                "In" => has && values.Contains(actual),
                "NotIn" => !has || !values.Contains(actual),
                "Exists" => has,
                "DoesNotExist" => !has,
                var other => throw new NotSupportedException($"Unknown selector operator '{other}'."),
            };
            if (!holds) return false;
        }
        return true;
    }

    /// <summary>A Service's selector: plain key/value pairs, all of which the pod must carry.</summary>
    public static bool MatchesPlain(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
