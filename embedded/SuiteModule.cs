using Playbooks.Engine;
using Playbooks.Metrics;
using Playbooks.Notifications;
using Playbooks.Tasks;

namespace Playbooks.Embedded;

/// <summary>A service as the embedded suite composes it: the same Add/Map calls its own host makes.</summary>
internal sealed record SuiteModule(string Name, Action<WebApplicationBuilder> Add, Action<WebApplication> Map)
{
    public static readonly IReadOnlyList<SuiteModule> All =
    [
        new(EngineService.Name, builder => builder.AddEngineService(), app => app.MapEngineService()),
        new(TasksService.Name, builder => builder.AddTasksService(), app => app.MapTasksService()),
        new(NotificationsService.Name, builder => builder.AddNotificationsService(), app => app.MapNotificationsService()),
        new(MetricsService.Name, builder => builder.AddMetricsService(), app => app.MapMetricsService()),
    ];
}
