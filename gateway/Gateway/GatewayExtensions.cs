using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Gateway.Routing;
using Playbooks.Gateway.WebUi;

namespace Playbooks.Gateway;

/// <summary>The one public door: proxies the services' APIs and serves the web UI. It holds no business logic.</summary>
public static class GatewayExtensions
{
    public const string Name = "gateway";

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var (routes, clusters) = ProxyRoutes.From(builder.Configuration);
        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapReverseProxy();
        app.MapWebUi();
        return app;
    }
}
