namespace Playbooks.Deployment.Tests.Rendering;

/// <summary>The checkout the tests run from: the folder holding Playbooks.sln, found by walking up.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Playbooks.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Playbooks.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
