using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using Playbooks.ServiceDefaults.Hosting;

namespace Playbooks.ServiceDefaults.Telemetry;

internal static class TelemetryExtensions
{
    public static void AddPlaybooksTelemetry(this WebApplicationBuilder builder, ServiceIdentity service)
    {
        PlaybooksTelemetry.EnsureStarted(service.Name, builder.Configuration);

        // Logs are per application, so each keeps its own service.name and the trace id of the request it served.
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(service.Name));
            logging.IncludeFormattedMessage = true;
            if (PlaybooksTelemetry.IsExporting(builder.Configuration)) logging.AddOtlpExporter();
        });
    }

    /// <summary>Tags every server span with the part of the suite that served it.</summary>
    public static void UseServiceTag(this WebApplication app, ServiceIdentity service) =>
        app.Use((context, next) =>
        {
            System.Diagnostics.Activity.Current?.SetTag(PlaybooksTelemetry.ServiceTag, service.Name);
            return next(context);
        });
}
