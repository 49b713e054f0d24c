using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Engine;
using Playbooks.Messaging;
using Playbooks.ServiceDefaults;

namespace Playbooks.TestSupport;

/// <summary>
/// The engine service alone, hosted in this process on a free loopback port and wired as its host wires it, for tests
/// and benchmarks that drive its runtime directly: embedded (a data folder) or as a distributed replica (PostgreSQL,
/// Redis), as <paramref name="settings"/> say. Logs below Warning are dropped.
/// </summary>
public static class EngineHost
{
    public static async Task<WebApplication> StartAsync(IReadOnlyDictionary<string, string?> settings, TimeProvider? clock = null,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings) { ["Logging:LogLevel:Default"] = "Warning" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (clock is not null) builder.Services.AddSingleton(clock);
        builder.AddServiceDefaults(EngineService.Name);
        builder.AddEventBus();
        builder.AddEngineService();
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapEngineService();
        await app.StartAsync(cancellationToken);
        return app;
    }
}
