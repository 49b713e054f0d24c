using Playbooks.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Playbooks.Messaging;
using Playbooks.ServiceDefaults;

namespace Playbooks.Notifications.Tests.Support;

/// <summary>
/// The notifications service alone, wired exactly as its own host's Program.cs wires it, but with a clock the test
/// controls: the embedded suite has no way to swap its TimeProvider.
/// </summary>
public sealed class NotificationsHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NotificationsHost(WebApplication app, string dataPath)
    {
        _app = app;
        DataPath = dataPath;
        Client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) }.SignedInAsAdmin(app.Services);
    }

    public HttpClient Client { get; }

    public string DataPath { get; }

    public IServiceProvider Services => _app.Services;

    public IEventBus Bus => _app.Services.GetRequiredService<IEventBus>();

    public static async Task<NotificationsHost> StartAsync(TimeProvider time, IReadOnlyDictionary<string, string?> settings)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "playbooks-tests", Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration["Playbooks:DataPath"] = dataPath;
        builder.Configuration["Playbooks:Auth:SigningKey"] = TestTokens.SigningKey;
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(time);
        builder.AddServiceDefaults(NotificationsService.Name);
        builder.AddEventBus();
        builder.AddNotificationsService();
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapNotificationsService();
        await app.StartAsync();
        return new NotificationsHost(app, dataPath);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(DataPath, recursive: true); } catch (IOException) { }
    }
}
