using Playbooks.Deployment.Tests.Rendering;
using Xunit;

namespace Playbooks.Deployment.Tests;

/// <summary>Services, autoscalers and disruption budgets point at workloads that exist in the same render.</summary>
public sealed class ServiceWiringTests
{
    [Theory]
    [ClassData(typeof(Overlays))]
    public void Every_service_selects_an_existing_workload_and_targets_one_of_its_ports(string overlay)
    {
        var rendered = Kustomize.Overlay(overlay);
        var problems = new Problems();
        foreach (var service in rendered.OfKind("Service"))
        {
            var selected = ServiceRoutes.Selected(rendered, service);
            problems.Check(selected.Count > 0, $"{service}: selector {Describe(service.Root.Strings("spec", "selector"))} matches no Deployment or StatefulSet");
            foreach (var port in service.Root.Items("spec", "ports"))
            {
                var target = port.Text("targetPort") ?? port.Text("port");
                foreach (var workload in selected)
                {
                    problems.Check(workload.Containers.Any(c => c.ResolvePort(target) is not null),
                        $"{service}: targetPort '{target}' is no container port of {workload}");
                }
            }
        }
        problems.AssertNone($"Services in the {overlay} overlay");
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Engine_and_gateway_autoscale_and_leave_their_replica_count_to_the_autoscaler(string overlay)
    {
        var rendered = Kustomize.Overlay(overlay);
        var targets = rendered.OfKind("HorizontalPodAutoscaler").Select(h => h.Root.Text("spec", "scaleTargetRef", "name")).ToList();

        Assert.Contains("engine", targets);
        Assert.Contains("gateway", targets);
        var problems = new Problems();
        foreach (var hpa in rendered.OfKind("HorizontalPodAutoscaler"))
        {
            var target = hpa.Root.Path("spec", "scaleTargetRef");
            var deployment = rendered.Find(target.Text("kind") ?? "", target.Text("name") ?? "");
            problems.Check(deployment is { Kind: "Deployment" } && target.Text("apiVersion") == "apps/v1",
                $"{hpa}: targets {target.Text("kind")}/{target.Text("name")}, which this overlay does not render");
            // A replicas field beside an HPA resets the scaled count on every apply.
            problems.Check(deployment?.Root.Text("spec", "replicas") is null, $"{hpa}: {deployment} also sets spec.replicas");
            var min = int.Parse(hpa.Root.Text("spec", "minReplicas") ?? "1");
            var max = int.Parse(hpa.Root.Text("spec", "maxReplicas") ?? "0");
            problems.Check(min >= 2 && max >= min, $"{hpa}: replicas {min}..{max}; at least two keep it up through a drain");
            // Utilization is a share of the request: without requests the HPA cannot compute it.
            var container = deployment is null ? null : rendered.Deployment(deployment.Name).MainContainer;
            problems.Check(container?.Node.Text("resources", "requests", "cpu") is not null, $"{hpa}: its Deployment requests no CPU");
        }
        problems.AssertNone($"Autoscalers in the {overlay} overlay");
    }

    [Theory]
    [ClassData(typeof(Overlays))]
    public void Every_deployment_has_a_disruption_budget_that_selects_it(string overlay)
    {
        var rendered = Kustomize.Overlay(overlay);
        var budgets = rendered.OfKind("PodDisruptionBudget").ToList();
        var problems = new Problems();
        foreach (var deployment in rendered.Workloads.Where(w => w.Manifest.Kind == "Deployment"))
        {
            problems.Check(budgets.Any(b => LabelSelector.Matches(b.Root.Path("spec", "selector"), deployment.PodLabels)),
                $"{deployment}: no PodDisruptionBudget selects it");
        }
        foreach (var budget in budgets)
        {
            problems.Check(rendered.Workloads.Any(w => LabelSelector.Matches(budget.Root.Path("spec", "selector"), w.PodLabels)),
                $"{budget}: selects no workload");
        }
        problems.AssertNone($"Disruption budgets in the {overlay} overlay");
    }

    [Fact]
    public void Dev_runs_postgres_and_redis_as_single_statefulsets_with_volumes_behind_their_services()
    {
        var rendered = Kustomize.Overlay("dev");
        foreach (var name in new[] { "postgres", "redis" })
        {
            var statefulSet = rendered.Find("StatefulSet", name);
            Assert.NotNull(statefulSet);
            // One replica: more would be separate, unreplicated servers.
            Assert.Equal("1", statefulSet.Root.Text("spec", "replicas"));
            Assert.NotEmpty(statefulSet.Root.Items("spec", "volumeClaimTemplates"));
            Assert.NotNull(rendered.Find("Service", statefulSet.Root.Text("spec", "serviceName") ?? ""));
        }
    }

    private static string Describe(IReadOnlyDictionary<string, string> labels) =>
        "{" + string.Join(", ", labels.Select(pair => $"{pair.Key}={pair.Value}")) + "}";
}
