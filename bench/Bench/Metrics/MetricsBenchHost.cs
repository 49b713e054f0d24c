using Playbooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Playbooks.Messaging;
using Playbooks.Metrics;
using Playbooks.ServiceDefaults;

namespace Playbooks.Bench.Metrics;

/// <summary>The metrics service as its own host runs it (embedded mode, SQLite under <c>dataPath</c>), on an in-process bus the benchmark publishes to.</summary>
internal sealed class MetricsBenchHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MetricsBenchHost(WebApplication app, InProcessEventBus bus)
    {
        _app = app;
        Bus = bus;
        Client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) }.SignedInAsAdmin(app.Services);
    }

    public InProcessEventBus Bus { get; }

    public HttpClient Client { get; }

    public static async Task<MetricsBenchHost> StartAsync(string dataPath)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Playbooks:DataPath"] = dataPath;
        builder.Configuration["Playbooks:Auth:SigningKey"] = TestTokens.SigningKey;
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var bus = new InProcessEventBus();
        builder.AddServiceDefaults(MetricsService.Name);
        builder.Services.AddSingleton<IEventBus>(bus);
        builder.AddMetricsService();
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapMetricsService();
        await app.StartAsync();
        return new MetricsBenchHost(app, bus);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
