namespace Playbooks.Deployment.Tests.Rendering;

/// <summary>Follows an address the way cluster DNS and kube-proxy would: Service name and port to a pod's container port.</summary>
public static class ServiceRoutes
{
    /// <summary>The workloads a Service selects.</summary>
    public static IReadOnlyList<Workload> Selected(RenderedOverlay overlay, Manifest service)
    {
        var selector = service.Root.Strings("spec", "selector");
        return overlay.Workloads.Where(w => LabelSelector.MatchesPlain(selector, w.PodLabels)).ToList();
    }

    /// <summary>
    /// Whether <paramref name="address"/> (e.g. http://engine:8080) names a Service of this render whose port
    /// leads to a container port of the workload <paramref name="workload"/>, and of no other workload.
    /// </summary>
    public static bool Reaches(RenderedOverlay overlay, Uri address, string workload)
    {
        // Short names resolve in the pod's own namespace; so does name.namespace.svc[.cluster.local].
        var serviceName = address.Host.Split('.')[0];
        var service = overlay.Find("Service", serviceName);
        if (service is null) return false;
        var port = service.Root.Items("spec", "ports").FirstOrDefault(p => p.Text("port") == address.Port.ToString());
        if (port is null) return false;
        var targetPort = port.Text("targetPort") ?? port.Text("port");
        var selected = Selected(overlay, service);
        return selected.Count > 0
            && selected.All(w => w.Name == workload)
            && selected.All(w => w.Containers.Any(c => c.ResolvePort(targetPort) is not null));
    }
}
