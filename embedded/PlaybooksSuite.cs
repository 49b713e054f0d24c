using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Playbooks.Gateway;
using Playbooks.Gateway.Routing;
using Playbooks.Messaging;
using Playbooks.ServiceDefaults;
using Playbooks.ServiceDefaults.Hosting;
using Playbooks.ServiceDefaults.Telemetry;

namespace Playbooks.Embedded;

/// <summary>
/// The whole suite in one process: each service is its own web application on a private loopback port,
/// and the gateway proxies to them exactly as it does in distributed mode. They share one in-process bus.
/// </summary>
public sealed class PlaybooksSuite : IAsyncDisposable
{
    public const string UrlKey = "Playbooks:Url";
    public const string DefaultUrl = "http://127.0.0.1:8080";

    private readonly List<WebApplication> _services;

    private PlaybooksSuite(WebApplication gateway, List<WebApplication> services, TimeSpan startup)
    {
        Gateway = gateway;
        _services = services;
        StartupTime = startup;
    }

    public WebApplication Gateway { get; }

    public IReadOnlyList<WebApplication> Services => _services;

    public Uri Address => new(AddressOf(Gateway));

    public TimeSpan StartupTime { get; }

    /// <param name="args">Command-line configuration, applied to every part.</param>
    /// <param name="settings">Extra configuration (tests), applied last.</param>
    /// <param name="configureServices">
    /// Applied to every service after the suite's own registrations, so a test can hand them one manual clock
    /// (services add <c>TimeProvider.System</c> only when none is registered) or a bus it watches from the first event.
    /// </param>
    public static async Task<PlaybooksSuite> StartAsync(string[] args, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var bus = new InProcessEventBus();
        PlaybooksTelemetry.EnsureStarted("playbooks", new ConfigurationBuilder().AddEnvironmentVariables().Build());

        var services = SuiteModule.All.Select(module =>
        {
            var builder = CreateBuilder(args, settings, module.Name, "http://127.0.0.1:0");
            builder.Services.AddSingleton<IEventBus>(bus);
            configureServices?.Invoke(builder.Services);
            builder.AddEventBus();
            module.Add(builder);
            var app = builder.Build();
            app.MapServiceDefaults();
            module.Map(app);
            return app;
        }).ToList();
        await Task.WhenAll(services.Select(service => service.StartAsync(cancellationToken)));

        var gatewayBuilder = CreateBuilder(args, settings, GatewayExtensions.Name, url: null);
        var url = gatewayBuilder.Configuration[UrlKey] ?? DefaultUrl;
        gatewayBuilder.WebHost.UseUrls(url);
        foreach (var (module, app) in SuiteModule.All.Zip(services))
            gatewayBuilder.Configuration[SuiteServices.AddressKey(module.Name)] = AddressOf(app);
        gatewayBuilder.AddGateway();
        var gateway = gatewayBuilder.Build();
        gateway.MapServiceDefaults();
        gateway.MapGateway();
        try
        {
            await gateway.StartAsync(cancellationToken);
        }
        catch (IOException error) when (error.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await Task.WhenAll(services.Select(service => service.StopAsync(CancellationToken.None)));
            throw new StartupFailure($"{url} is already in use by another process. Stop it, or choose another address with --Playbooks:Url=http://127.0.0.1:8081 (or Playbooks__Url).", error);
        }
        return new PlaybooksSuite(gateway, services, clock.Elapsed);
    }

    private static WebApplicationBuilder CreateBuilder(string[] args, IReadOnlyDictionary<string, string?>? settings, string name, string? url)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration[$"{PlaybooksOptions.Section}:Mode"] = nameof(RunMode.Embedded);
        if (url is not null) builder.WebHost.UseUrls(url);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.AddServiceDefaults(name);
        return builder;
    }

    private static string AddressOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public async ValueTask DisposeAsync()
    {
        await Gateway.StopAsync();
        await Gateway.DisposeAsync();
        foreach (var service in _services)
        {
            await service.StopAsync();
            await service.DisposeAsync();
        }
    }
}
