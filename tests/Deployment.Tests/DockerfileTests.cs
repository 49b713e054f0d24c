using Playbooks.Deployment.Tests.Images;
using Playbooks.Deployment.Tests.Rendering;
using Playbooks.Gateway;
using Playbooks.Gateway.Routing;
using Xunit;

namespace Playbooks.Deployment.Tests;

/// <summary>
/// The images' Dockerfiles, read rather than built (no Docker engine here): one per host, building what the
/// host references and running it as a non-root user on the ASP.NET Core runtime image.
/// </summary>
public sealed class DockerfileTests
{
    public static TheoryData<string> Hosts => new(HostProjects.All);

    [Fact]
    public void Every_deployed_part_of_the_suite_has_a_host_with_a_dockerfile()
    {
        var hosts = HostProjects.All.Select(HostProjects.DeployedName).Order().ToList();

        Assert.Equal(SuiteServices.Names.Append(GatewayExtensions.Name).Order(), hosts);
        foreach (var host in HostProjects.All)
            Assert.True(File.Exists(DockerfilePath(host)), $"{host} has no Dockerfile beside it");
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public void Image_runs_the_host_as_a_non_root_user_on_the_aspnet_runtime(string host)
    {
        var final = Dockerfile.Read(DockerfilePath(host)).FinalStage;

        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", final[0].Arguments);
        // Stated in the Dockerfile, not left to the base image's default.
        var user = final.LastOrDefault(i => i.Keyword == "USER")?.Arguments;
        Assert.True(user is "$APP_UID" or "${APP_UID}" || (int.TryParse(user, out var uid) && uid > 0),
            $"{host}: the final stage runs as '{user ?? "(the base image's user)"}', not the non-root APP_UID");
        Assert.Contains(final, i => i is { Keyword: "EXPOSE", Arguments: "8080" });
        var entrypoint = final.Single(i => i.Keyword == "ENTRYPOINT").Arguments;
        Assert.Equal($"[\"dotnet\", \"{HostProjects.AssemblyName(host)}.dll\"]", entrypoint);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public void Image_packs_the_local_packages_before_restoring_and_publishes_the_host(string host)
    {
        var build = Dockerfile.Read(DockerfilePath(host)).Stages[0].ToList();
        var runs = build.Where(i => i.Keyword == "RUN").Select(i => i.Arguments).ToList();

        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", build[0].Arguments);
        var restore = runs.FindIndex(r => r.Contains($"dotnet restore {host}", StringComparison.Ordinal));
        Assert.True(restore >= 0, $"{host}: no `dotnet restore {host}`");
        var restoreRun = runs[restore];
        Assert.True(restoreRun.IndexOf("./eng/local-packages.sh", StringComparison.Ordinal) is >= 0 and var pack &&
                    pack < restoreRun.IndexOf("dotnet restore", StringComparison.Ordinal),
            $"{host}: ./eng/local-packages.sh does not run before the restore (YARP's System.IO.Hashing comes from it)");
        Assert.Contains(runs, r => r.Contains($"dotnet publish {host}", StringComparison.Ordinal) && r.Contains("--no-restore", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public void Image_copies_every_project_the_host_references_for_restore_and_for_build(string host)
    {
        var build = Dockerfile.Read(DockerfilePath(host)).Stages[0].ToList();
        var restore = build.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var sourcesBefore = Sources(build.Take(restore));
        var sourcesAfter = Sources(build.Skip(restore + 1));
        var problems = new Problems();
        foreach (var project in HostProjects.Closure(host))
        {
            problems.Check(sourcesBefore.Contains(project), $"{project} is not copied before the restore");
            var directory = project[..(project.LastIndexOf('/') + 1)];
            problems.Check(sourcesAfter.Any(source => source.EndsWith('/') && directory.StartsWith(source, StringComparison.Ordinal)),
                $"{directory} is not copied before the publish");
        }
        foreach (var shared in new[] { "Directory.Build.props", "Directory.Packages.props", "nuget.config", "eng/local-packages.sh" })
            problems.Check(sourcesBefore.Contains(shared), $"{shared} is not copied before the restore");
        problems.AssertNone($"{host}'s Dockerfile");
    }

    [Fact]
    public void Docker_context_leaves_out_build_output_and_local_packages()
    {
        var ignored = File.ReadAllLines(RepositoryRoot.Combine(".dockerignore")).Select(l => l.Trim()).ToList();

        // A host's obj/project.assets.json in the image would point `publish --no-restore` at this machine's paths.
        Assert.Contains("**/bin", ignored);
        Assert.Contains("**/obj", ignored);
        Assert.Contains(".packages", ignored);
    }

    private static string DockerfilePath(string hostProject) =>
        RepositoryRoot.Combine(hostProject[..hostProject.LastIndexOf('/')], "Dockerfile");

    /// <summary>The context paths the COPY instructions take (not COPY --from, which copies from another stage).</summary>
    private static HashSet<string> Sources(IEnumerable<Instruction> instructions) =>
        instructions.Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            .ToHashSet();
}
