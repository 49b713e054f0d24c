using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.ServiceDefaults.Health;
using Playbooks.ServiceDefaults.Hosting;
using Playbooks.ServiceDefaults.Problems;
using Playbooks.ServiceDefaults.Security;
using Playbooks.ServiceDefaults.Telemetry;

namespace Playbooks.ServiceDefaults;

/// <summary>What every Playbooks service and the gateway share: telemetry, health, problem details, body limits, sign-in and roles.</summary>
public static class ServiceDefaultsExtensions
{
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        var service = new ServiceIdentity(serviceName);
        builder.Services.AddSingleton(service);

        var options = PlaybooksOptions.From(builder.Configuration);
        builder.Services.Configure<PlaybooksOptions>(builder.Configuration.GetSection(PlaybooksOptions.Section));
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });

        builder.AddPlaybooksTelemetry(service);
        builder.Services.AddHealthChecks();
        builder.Services.AddPlaybooksProblemDetails();
        builder.AddPlaybooksAuthentication();
        return builder;
    }

    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        var service = app.Services.GetRequiredService<ServiceIdentity>();
        app.UsePlaybooksProblemDetails();
        app.UseServiceTag(service);
        app.UsePlaybooksAuthentication();
        app.MapHealthEndpoints(service.Name);
        return app;
    }
}
