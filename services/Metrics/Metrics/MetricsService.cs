using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Playbooks.Messaging;
using Playbooks.Metrics.Api;
using Playbooks.Metrics.Folding;
using Playbooks.Metrics.Kpis;
using Playbooks.Metrics.Prometheus;
using Playbooks.Metrics.Storage;
using Playbooks.Storage;

namespace Playbooks.Metrics;

/// <summary>How the metrics service adds itself to a host and maps its API, the same in embedded and distributed mode.</summary>
public static class MetricsService
{
    public const string Name = "metrics";

    public static WebApplicationBuilder AddMetricsService(this WebApplicationBuilder builder)
    {
        // First, so the schema is migrated before the fold loop and the bus subscription start.
        builder.AddServiceDatabase(Name, MetricsMigrations.All);
        var services = builder.Services;
        // Tests and simulations register their own clock first.
        services.TryAddSingleton(TimeProvider.System);
        var options = MetricsOptions.From(builder.Configuration);
        services.AddSingleton(options);
        services.AddSingleton(FoldRules.From(options));
        services.AddSingleton<EventDecoder>();
        services.AddSingleton<EventFold>();
        services.AddSingleton<MetricsStore>();
        services.AddSingleton<FoldQueue>();
        services.AddHostedService(provider => provider.GetRequiredService<FoldQueue>());
        services.AddEventConsumer<MetricsEventConsumer>();
        services.AddSingleton<KpiReader>();
        services.AddSingleton<OperationalFigures>();
        return builder;
    }

    public static WebApplication MapMetricsService(this WebApplication app)
    {
        app.MapMetricsApi();
        app.MapPrometheusEndpoint();
        return app;
    }
}
