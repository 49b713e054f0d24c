using Microsoft.Extensions.DependencyInjection;
using Playbooks.Messaging;
using Playbooks.Notifications.Recipients;

namespace Playbooks.Notifications.Delivery;

internal static class DeliveryExtensions
{
    public static IServiceCollection AddNotificationDelivery(this IServiceCollection services)
    {
        services.AddOutbox();
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<RecipientResolver>();
        services.AddSingleton<DeliveryPlanner>();
        services.AddSingleton<QuietHours>();
        services.AddSingleton<RecipientRateLimit>();
        services.AddSingleton<EndpointCircuitBreakers>();
        services.AddHostedService<DeliveryDispatcher>();
        services.AddEventConsumer<NotificationRequestedConsumer>();
        return services;
    }
}
