using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Configuration;
using Playbooks.Messaging.Consumers;
using Playbooks.Messaging.Inbox;
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

    /// <summary>
    /// Subscribes <typeparamref name="TConsumer"/> to the bus when the service starts. Consumers remember what they
    /// handled in the service's inbox (add <see cref="MessagingTables.InboxByAge"/> to its migrations), which forgets
    /// entries older than <see cref="InboxRetention"/>.
    /// </summary>
    public static IServiceCollection AddEventConsumer<TConsumer>(this IServiceCollection services) where TConsumer : class, IEventConsumer
    {
        services.AddSingleton<IEventConsumer, TConsumer>();
        if (services.All(d => d.ImplementationType != typeof(EventSubscriptions)))
        {
            services.AddHostedService<EventSubscriptions>();
            services.TryAddSingleton(provider => InboxRetention.From(provider.GetRequiredService<IConfiguration>()));
            services.TryAddSingleton(TimeProvider.System);
            services.AddHostedService<InboxPruner>();
        }
        return services;
    }
}
