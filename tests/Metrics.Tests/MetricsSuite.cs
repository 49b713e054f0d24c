using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Messaging;
using Playbooks.ServiceDefaults.Hosting;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Metrics.Tests;

/// <summary>
/// The real embedded suite on a manual clock. Tests publish on its bus what the engine, tasks and notifications services
/// would, and read the figures through the gateway as a CS Ops lead's browser would. Each test uses its own days,
/// playbooks and people, so the tests sharing this suite never count each other's events.
/// </summary>
public sealed class MetricsSuite : SuiteFixture
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    public ManualTimeProvider Clock { get; } = new(Now);

    public IEventBus Bus => Suite.Services[0].Services.GetRequiredService<IEventBus>();

    /// <summary>The metrics service's own address, behind the gateway.</summary>
    public Uri ServiceAddress => new(Suite.Services
        .Single(app => app.Services.GetRequiredService<ServiceIdentity>().Name == MetricsService.Name)
        .Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    /// <summary>Publishes as the services' outbox relays do; the in-process bus returns once every consumer has handled them.</summary>
    public Task PublishAsync(params EventEnvelope[] events) => Bus.PublishAsync(events, CancellationToken.None);

    public Task<JsonElement> KpiAsync(string kpi, string query) => GetJsonAsync($"/api/metrics/kpis/{kpi}?{query}");
}

[CollectionDefinition(Name)]
public sealed class MetricsCollection : ICollectionFixture<MetricsSuite>
{
    public const string Name = "metrics suite";
}
