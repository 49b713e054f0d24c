using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Gateway.ApiKeys;
using Playbooks.Gateway.Audit;
using Playbooks.Gateway.Routing;
using Playbooks.Gateway.SignIn;
using Playbooks.Gateway.Storage;
using Playbooks.Gateway.WebUi;
using Playbooks.ServiceDefaults.Hosting;
using Playbooks.ServiceDefaults.Security;
using Playbooks.Storage;
using Playbooks.Storage.Audit;

namespace Playbooks.Gateway;

/// <summary>
/// The one public door: signs callers in (tokens, API keys), turns away what their role may not reach, limits API
/// keys' rates, proxies the services' APIs and serves the web UI. It holds no business logic.
/// </summary>
public static class GatewayExtensions
{
    public const string Name = "gateway";

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var auth = AuthOptions.From(builder.Configuration);
        builder.AddServiceDatabase(Name, GatewayMigrations.All);
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<ApiKeyExchange>();
        builder.Services.AddSingleton<DevSignInSwitch>();
        builder.Services.AddAuditTrail();
        builder.Services.AddHttpClient(SuiteAuditApi.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10));

        // Requests that carry an API key are signed in by it; all others by their bearer token.
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.PostConfigure<PolicySchemeOptions>(TokenAuthentication.Scheme, options =>
        {
            var byToken = options.ForwardDefaultSelector!;
            options.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyStore.Header) ? ApiKeyAuthentication.SchemeName : byToken(context);
        });
        // The web app's files are public and have no endpoint, so no fallback policy here: every gateway endpoint
        // (its own APIs, each proxied route) names the policy it needs instead.
        builder.Services.PostConfigure<AuthorizationOptions>(options => options.FallbackPolicy = null);
        builder.Services.AddApiKeyRateLimits(auth);

        var (routes, clusters) = ProxyRoutes.From(builder.Configuration);
        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters)
            .AddTransforms(context => context.Services.GetRequiredService<ApiKeyExchange>().Apply(context));
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapSignInApi(AuthOptions.From(app.Configuration));
        app.MapApiKeysApi();
        app.MapSuiteAuditApi();
        app.MapReverseProxy();
        app.MapWebUi();
        return app;
    }
}
