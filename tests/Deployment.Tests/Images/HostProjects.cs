using System.Xml.Linq;
using Playbooks.Deployment.Tests.Rendering;

namespace Playbooks.Deployment.Tests.Images;

/// <summary>The deployable host projects (services/*/Host and gateway/Host) and what they reference.</summary>
public static class HostProjects
{
    /// <summary>Repository-relative paths with forward slashes, e.g. services/Engine/Host/Host.csproj.</summary>
    public static IReadOnlyList<string> All =>
        Directory.GetDirectories(RepositoryRoot.Combine("services"))
            .Select(service => Path.Combine(service, "Host", "Host.csproj"))
            .Append(RepositoryRoot.Combine("gateway", "Host", "Host.csproj"))
            .Where(File.Exists)
            .Select(Relative)
            .Order()
            .ToList();

    /// <summary>The name the manifests and image tags use: the service folder's name in lower case, or "gateway".</summary>
    public static string DeployedName(string hostProject) =>
        hostProject.StartsWith("gateway/", StringComparison.Ordinal) ? "gateway" : hostProject.Split('/')[1].ToLowerInvariant();

    public static string AssemblyName(string project) =>
        XDocument.Load(RepositoryRoot.Combine(project)).Descendants("AssemblyName").Single().Value;

    /// <summary>The project and every project it references, directly or not.</summary>
    public static IReadOnlyList<string> Closure(string project)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!found.Add(current)) continue;
            var directory = Path.GetDirectoryName(RepositoryRoot.Combine(current))!;
            foreach (var reference in XDocument.Load(RepositoryRoot.Combine(current)).Descendants("ProjectReference"))
            {
                pending.Push(Relative(Path.GetFullPath(Path.Combine(directory, reference.Attribute("Include")!.Value.Replace('\\', '/')))));
            }
        }
        return found.ToList();
    }

    private static string Relative(string path) => Path.GetRelativePath(RepositoryRoot.Path, path).Replace('\\', '/');
}
