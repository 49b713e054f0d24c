using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Playbooks.ServiceDefaults.Telemetry;

/// <summary>
/// The process-wide OpenTelemetry pipeline. Activity and meter listeners are global to a process, so one SDK
/// serves every web application in it: the service's own process in distributed mode, the whole suite in embedded mode
/// (there spans carry <c>playbooks.service</c> to tell the parts apart).
/// </summary>
public static class PlaybooksTelemetry
{
    public const string SourceName = "Playbooks";
    public const string ServiceTag = "playbooks.service";

    public static readonly ActivitySource ActivitySource = new(SourceName);
    public static readonly Meter Meter = new(SourceName);

    private static readonly Lock Gate = new();
    private static OpenTelemetrySdk? _sdk;

    /// <summary>Whether spans and metrics leave the process (an OTLP endpoint is configured).</summary>
    public static bool IsExporting(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>Starts the pipeline once per process; the first caller's name becomes <c>service.name</c>.</summary>
    public static void EnsureStarted(string serviceName, IConfiguration configuration)
    {
        lock (Gate)
        {
            if (_sdk is not null) return;
            var exporting = IsExporting(configuration);
            _sdk = OpenTelemetrySdk.Create(otel => otel
                .ConfigureResource(resource => resource.AddService(serviceName))
                .WithTracing(tracing =>
                {
                    tracing.AddSource(SourceName, "Microsoft.AspNetCore", "System.Net.Http", "Yarp.ReverseProxy");
                    // First, so no exporter ever sees a span before its secrets are gone.
                    tracing.AddProcessor(new SecretScrubbingProcessor());
                    if (exporting) tracing.AddOtlpExporter();
                })
                .WithMetrics(metrics =>
                {
                    metrics.AddMeter(SourceName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http");
                    if (exporting) metrics.AddOtlpExporter();
                }));
            AppDomain.CurrentDomain.ProcessExit += (_, _) => _sdk?.Dispose();
        }
    }
}
