using Playbooks.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Playbooks.Metrics.Api;

namespace Playbooks.Metrics.Prometheus;

/// <summary>
/// The SRE scrape target: <c>/metrics</c> on the service, and <c>/api/metrics/prometheus</c> for scraping through the
/// gateway (which forwards only <c>/api/metrics/**</c> to this service).
/// </summary>
public static class PrometheusEndpoint
{
    public const string Path = "/metrics";
    public const string GatewayPath = $"{MetricsApi.Prefix}/prometheus";

    public static IEndpointRouteBuilder MapPrometheusEndpoint(this IEndpointRouteBuilder endpoints)
    {
        // Scraped inside the cluster, where the network policy (not a token) decides who may reach the service.
        endpoints.MapGet(Path, WriteAsync).WithTags("Metrics").AllowAnonymous();
        endpoints.MapGet(GatewayPath, WriteAsync).WithTags("Metrics").RequireAuthorization(Access.ReadMetrics);
        return endpoints;
    }

    private static async Task<IResult> WriteAsync(OperationalFigures figures, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var snapshot = await figures.ReadAsync(cancellationToken);
        var text = new ExpositionWriter();
        text.Family("playbooks_instances_running", "gauge",
            "Playbook runs started and not yet completed, exited or cancelled (waiting runs and faulted runs awaiting retry included).",
            snapshot.Runs.Select(r => Sample.Of("playbook", r.Playbook, r.Running)));
        text.Family("playbooks_runs_started_total", "counter", "Playbook runs started.",
            snapshot.Runs.Select(r => Sample.Of("playbook", r.Playbook, r.Started)));
        text.Family("playbooks_runs_completed_total", "counter", "Playbook runs that completed.",
            snapshot.Runs.Select(r => Sample.Of("playbook", r.Playbook, r.Completed)));
        text.Family("playbooks_runs_faulted_total", "counter", "Playbook runs that faulted (each run counted at its first fault).",
            snapshot.Runs.Select(r => Sample.Of("playbook", r.Playbook, r.Faulted)));
        text.Family("playbooks_tasks_overdue", "gauge", "Tasks marked overdue and not yet completed or cancelled.",
            [Sample.Of(snapshot.TasksOverdue)]);
        text.Family("playbooks_bus_lag_seconds", "gauge",
            "Seconds between now and the time of the newest event folded into the metrics (no sample before the first event).",
            snapshot.NewestEventAt is { } newest ? [Sample.Of((now - newest) / 1000.0)] : []);
        text.Family("playbooks_notification_delivery_failures_total", "counter", "Notification deliveries that failed for good, per channel.",
            snapshot.DeliveryFailures.Select(f => Sample.Of("channel", f.Channel, f.Failed)));
        text.Family("playbooks_metrics_events_folded_total", "counter", "Events the metrics service has folded (redeliveries not counted).",
            [Sample.Of(snapshot.EventsFolded)]);
        return Results.Text(text.ToString(), ExpositionWriter.ContentType);
    }
}
