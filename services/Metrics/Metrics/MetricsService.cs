using Microsoft.AspNetCore.Builder;
using Playbooks.Metrics.Storage;
using Playbooks.Storage;

namespace Playbooks.Metrics;

/// <summary>How the metrics service adds itself to a host and maps its API, the same in embedded and distributed mode.</summary>
public static class MetricsService
{
    public const string Name = "metrics";

    public static WebApplicationBuilder AddMetricsService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase(Name, MetricsMigrations.All);
        return builder;
    }

    public static WebApplication MapMetricsService(this WebApplication app)
    {
        return app;
    }
}
