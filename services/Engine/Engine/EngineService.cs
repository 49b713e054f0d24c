using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Playbooks.Engine.Accounts;
using Playbooks.Engine.Activities;
using Playbooks.Engine.Activities.Integration;
using Playbooks.Engine.Calendars;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Expressions;
using Playbooks.Engine.Instances;
using Playbooks.Engine.Simulation;
using Playbooks.Engine.Storage;
using Playbooks.Engine.Triggers;
using Playbooks.Messaging;
using Playbooks.Messaging.DeadLetters;
using Playbooks.Storage;
using Playbooks.Storage.Audit;

namespace Playbooks.Engine;

/// <summary>How the engine adds itself to a host and maps its API, the same in embedded and distributed mode.</summary>
public static class EngineService
{
    public const string Name = "engine";

    public static WebApplicationBuilder AddEngineService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase(Name, EngineMigrations.All);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpRequest.ClientName);

        // Definitions and the activity catalogue
        services.AddSingleton(_ => new ActivityCatalogue());
        services.AddSingleton<DefinitionValidator>();
        services.AddSingleton<DefinitionStore>();
        services.AddAuditTrail();

        // Execution
        services.AddSingleton<ExpressionEvaluator>();
        services.AddSingleton<BusinessCalendars>();
        services.AddSingleton(provider => new ExecutionServices(
            provider.GetRequiredService<ExpressionEvaluator>(), provider.GetRequiredService<BusinessCalendars>(), provider.GetRequiredService<IHttpClientFactory>()));
        services.AddSingleton<PlaybookExecutor>();
        services.AddSingleton<Simulator>();

        // Instances, accounts and what drives them
        services.AddSingleton<AccountStore>();
        services.AddSingleton<InstanceStore>();
        services.AddSingleton<InstanceLocks>();
        services.AddSingleton<WorkLease>();
        services.AddSingleton<TimerAlarm>();
        services.AddSingleton<PlaybookVersions>();
        services.AddSingleton<StartCommits>();
        services.AddSingleton<InstanceRuntime>();
        services.AddSingleton<Enrolment>();

        // Triggers: account events, thresholds, dates, schedules
        services.AddSingleton<AccountEventLog>();
        services.AddSingleton<TriggerIndex>();
        services.AddSingleton<TriggerStarter>();
        services.AddSingleton<DatePlanner>();
        services.AddSingleton<ScheduleRunner>();
        services.AddSingleton<PlaybookPublication>();
        services.TryAddSingleton<Playbooks.Messaging.Cluster.IClusterBroadcast, Playbooks.Messaging.Cluster.NoClusterBroadcast>();
        services.TryAddSingleton<Playbooks.Messaging.DeadLetters.IDeadLetters, Playbooks.Messaging.DeadLetters.NoDeadLetters>();
        services.AddHostedService<PublicationListener>();
        services.AddSingleton<GoalTracker>();
        services.AddHostedService<Workflows.ShippedWorkflowLoader>();
        services.AddHostedService<AccountEventProcessor>();
        services.AddHostedService<TriggerClock>();
        services.AddHostedService<TimerWorker>();
        services.AddHostedService<ParkedOutcomes>();
        services.AddOutbox();
        services.AddEventConsumer<TaskOutcomeConsumer>();
        return builder;
    }

    public static WebApplication MapEngineService(this WebApplication app)
    {
        app.MapActivitiesApi();
        app.MapDefinitionsApi();
        app.MapSimulationApi();
        app.MapInstancesApi();
        app.MapAccountsApi();
        app.MapEventsApi();
        app.MapEnrolmentApi();
        app.MapAuditLog("/api/engine");
        // The bus's dead letters (every service's), for SREs to inspect and replay once the cause is fixed.
        app.MapDeadLettersApi("/api/engine/dead-letters");
        return app;
    }
}
