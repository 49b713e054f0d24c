using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Playbooks.Messaging.Consumers;
using Playbooks.Messaging.Outbox;

namespace Playbooks.Messaging;

public static class MessagingExtensions
{
    /// <summary>The transactional outbox and its relay; add <see cref="MessagingTables"/> to the service's migrations.</summary>
    public static IServiceCollection AddOutbox(this IServiceCollection services)
    {
        services.TryAddSingleton<Outbox.Outbox>();
        services.AddHostedService<OutboxRelay>();
        return services;
    }

    /// <summary>Subscribes <typeparamref name="TConsumer"/> to the bus when the service starts.</summary>
    public static IServiceCollection AddEventConsumer<TConsumer>(this IServiceCollection services) where TConsumer : class, IEventConsumer
    {
        services.AddSingleton<IEventConsumer, TConsumer>();
        if (services.All(d => d.ImplementationType != typeof(EventSubscriptions)))
            services.AddHostedService<EventSubscriptions>();
        return services;
    }
}
