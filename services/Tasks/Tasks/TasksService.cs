using Microsoft.AspNetCore.Builder;
using Playbooks.Tasks.Storage;
using Playbooks.Storage;

namespace Playbooks.Tasks;

/// <summary>How the tasks service adds itself to a host and maps its API, the same in embedded and distributed mode.</summary>
public static class TasksService
{
    public const string Name = "tasks";

    public static WebApplicationBuilder AddTasksService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase(Name, TasksMigrations.All);
        return builder;
    }

    public static WebApplication MapTasksService(this WebApplication app)
    {
        return app;
    }
}
