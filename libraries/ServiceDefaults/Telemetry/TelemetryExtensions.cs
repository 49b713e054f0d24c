using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using Playbooks.ServiceDefaults.Hosting;

namespace Playbooks.ServiceDefaults.Telemetry;

internal static class TelemetryExtensions
{
    public static void AddPlaybooksTelemetry(this WebApplicationBuilder builder, ServiceIdentity service)
    {
        PlaybooksTelemetry.EnsureStarted(service.Name, builder.Configuration);

        // Console lines carry the trace and span they were written in (TraceConsoleFormatter); scopes, which the host
        // fills with the same ids, stay off: they would repeat them with the connection and request ids on every line.
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        builder.Logging.AddConsole(console => console.FormatterName = TraceConsoleFormatter.Name);
        builder.Logging.AddConsoleFormatter<TraceConsoleFormatter, ConsoleFormatterOptions>();

        // ASP.NET Core's "Request starting/finished" lines print the raw query string (where a careless caller puts an
        // API key or token) and there is no option to redact it; the server span already records method, route, status
        // and duration. A more specific setting for this category (Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics)
        // turns them back on, with that risk.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        // Logs are per application, so each keeps its own service.name and the trace id of the request it served.
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(service.Name));
            logging.IncludeFormattedMessage = true;
            if (PlaybooksTelemetry.IsExporting(builder.Configuration)) logging.AddOtlpExporter();
        });
    }

    /// <summary>
    /// Tags every server span with the part of the suite that served it and, as OpenTelemetry's ASP.NET Core
    /// instrumentation would (absent from this registry), the method, path, route and status: never the query string
    /// or headers, which may carry credentials.
    /// </summary>
    public static void UseServiceTag(this WebApplication app, ServiceIdentity service) =>
        app.Use(async (context, next) =>
        {
            var span = System.Diagnostics.Activity.Current;
            span?.SetTag(PlaybooksTelemetry.ServiceTag, service.Name);
            span?.SetTag("http.request.method", context.Request.Method);
            span?.SetTag("url.path", context.Request.Path.Value);
            try
            {
                await next(context);
            }
            finally
            {
                if (span is not null)
                {
                    var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
                    if (route is not null)
                    {
                        span.SetTag("http.route", route);
                        span.DisplayName = $"{context.Request.Method} {route}";
                    }
                    span.SetTag("http.response.status_code", context.Response.StatusCode);
                }
            }
        });
}
