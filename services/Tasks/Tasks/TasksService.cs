using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Playbooks.Messaging;
using Playbooks.Storage;
using Playbooks.Tasks.Api;
using Playbooks.Tasks.Assignment;
using Playbooks.Tasks.Cancellation;
using Playbooks.Tasks.Creation;
using Playbooks.Tasks.Escalation;
using Playbooks.Tasks.Feed;
using Playbooks.Tasks.Overdue;
using Playbooks.Tasks.Storage;

namespace Playbooks.Tasks;

/// <summary>How the tasks service adds itself to a host and maps its API, the same in embedded and distributed mode.</summary>
public static class TasksService
{
    public const string Name = "tasks";

    // Its bus handlers hold one pooled connection each and wait on their own commit: with 24 accounts side by side task
    // creation kept up with 200 events/s in the distributed benchmark, where the default 8 fell seconds behind.
    internal const int AccountsAtOnce = 24;

    public static WebApplicationBuilder AddTasksService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase(Name, TasksMigrations.All);
        var services = builder.Services;
        // Tests and simulations register their own clock first.
        services.TryAddSingleton(TimeProvider.System);
        services.AddOutbox();
        services.AddSingleton<ITaskStore, SqlTaskStore>();
        services.AddSingleton<IQueueStore, SqlQueueStore>();
        services.AddSingleton<DueSchedule>();
        services.AddEventConsumer<TaskRequestedConsumer>();
        services.AddEventConsumer<TaskEscalationConsumer>();
        services.AddEventConsumer<InstanceTasksCancellationConsumer>();
        services.AddHostedService<OverdueSweeper>();
        services.AddSingleton<TaskFeed>();
        services.AddHostedService<TaskFeedRelay>();
        return builder;
    }

    public static WebApplication MapTasksService(this WebApplication app)
    {
        app.MapTasksApi();
        app.MapQueuesApi();
        return app;
    }
}
