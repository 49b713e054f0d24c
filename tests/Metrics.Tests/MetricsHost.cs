using Playbooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Messaging;
using Playbooks.ServiceDefaults;

namespace Playbooks.Metrics.Tests;

/// <summary>
/// The metrics service alone, as its own host runs it, on SQLite (embedded) or PostgreSQL (distributed), with an
/// in-process bus the test publishes on (distributed mode would otherwise ask for Redis, which these tests do not need).
/// </summary>
internal sealed class MetricsHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataPath;

    private MetricsHost(WebApplication app, InProcessEventBus bus, string dataPath)
    {
        _app = app;
        _dataPath = dataPath;
        Bus = bus;
        Client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) }.SignedInAsAdmin(app.Services);
    }

    public InProcessEventBus Bus { get; }

    public HttpClient Client { get; }

    public static async Task<MetricsHost> StartAsync(string? postgres, TimeProvider clock)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "playbooks-tests", Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Playbooks:Mode"] = postgres is null ? "Embedded" : "Distributed";
        builder.Configuration["Playbooks:DataPath"] = dataPath;
        builder.Configuration["Playbooks:Auth:SigningKey"] = TestTokens.SigningKey;
        builder.Configuration["ConnectionStrings:Postgres"] = postgres;
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var bus = new InProcessEventBus();
        builder.AddServiceDefaults(MetricsService.Name);
        builder.Services.AddSingleton<IEventBus>(bus);
        builder.Services.AddSingleton(clock);
        builder.AddMetricsService();
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapMetricsService();
        await app.StartAsync();
        return new MetricsHost(app, bus, dataPath);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(_dataPath, recursive: true); } catch (IOException) { }
    }
}
