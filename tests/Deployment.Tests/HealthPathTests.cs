using Playbooks.Deployment.Tests.Rendering;
using Playbooks.ServiceDefaults.Health;
using Xunit;

namespace Playbooks.Deployment.Tests;

/// <summary>The probes ask for the paths the code maps (HealthEndpoints), so renaming one breaks this test, not production.</summary>
public sealed class HealthPathTests
{
    [Theory]
    [ClassData(typeof(Overlays))]
    public void Probes_use_the_health_paths_the_services_map(string overlay)
    {
        var problems = new Problems();
        foreach (var deployment in Kustomize.Overlay(overlay).SuiteDeployments)
        {
            var container = deployment.MainContainer.Node;
            // Startup and liveness share the check-free live path: a slow database must not restart the process.
            problems.Check(container.Text("startupProbe", "httpGet", "path") == HealthEndpoints.LivePath,
                $"{deployment}: startup probe path '{container.Text("startupProbe", "httpGet", "path")}', not {HealthEndpoints.LivePath}");
            problems.Check(container.Text("livenessProbe", "httpGet", "path") == HealthEndpoints.LivePath,
                $"{deployment}: liveness probe path '{container.Text("livenessProbe", "httpGet", "path")}', not {HealthEndpoints.LivePath}");
            problems.Check(container.Text("readinessProbe", "httpGet", "path") == HealthEndpoints.ReadyPath,
                $"{deployment}: readiness probe path '{container.Text("readinessProbe", "httpGet", "path")}', not {HealthEndpoints.ReadyPath}");
        }
        problems.AssertNone($"Health paths in the {overlay} overlay");
    }
}
