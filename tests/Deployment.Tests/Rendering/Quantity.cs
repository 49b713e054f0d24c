using System.Globalization;

namespace Playbooks.Deployment.Tests.Rendering;

/// <summary>Kubernetes resource quantities ("250m" CPU, "512Mi" memory) as numbers, to compare requests with limits.</summary>
public static class Quantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m), ("m", 0.001m),
    ];

    public static decimal Parse(string text)
    {
        foreach (var (suffix, factor) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal))
                return decimal.Parse(text[..^suffix.Length], CultureInfo.InvariantCulture) * factor;
        }
        return decimal.Parse(text, CultureInfo.InvariantCulture);
    }
}
