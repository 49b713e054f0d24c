using Playbooks.Storage.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Playbooks.Notifications.Api;
using Playbooks.Notifications.Channels;
using Playbooks.Notifications.Delivery;
using Playbooks.Notifications.Storage;
using Playbooks.Notifications.Templates;
using Playbooks.Storage;

namespace Playbooks.Notifications;

/// <summary>How the notifications service adds itself to a host and maps its API, the same in embedded and distributed mode.</summary>
public static class NotificationsService
{
    public const string Name = "notifications";

    public static WebApplicationBuilder AddNotificationsService(this WebApplicationBuilder builder)
    {
        var settings = NotificationsConfiguration.Read(builder.Configuration);
        builder.AddServiceDatabase(Name, NotificationsMigrations.All);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services
            .AddSingleton(settings.Smtp).AddSingleton(settings.Chat).AddSingleton(settings.Delivery)
            .AddSingleton(settings.CircuitBreaker).AddSingleton(settings.QuietHours).AddSingleton(settings.RateLimit)
            .AddNotificationTemplates()
            .AddNotificationChannels()
            .AddNotificationDelivery()
            .AddAuditTrail();
        return builder;
    }

    public static WebApplication MapNotificationsService(this WebApplication app)
    {
        var api = app.MapGroup("/api/notifications");
        api.MapTemplatesApi();
        api.MapDeliveriesApi();
        api.MapInboxApi();
        api.MapRequestsApi();
        app.MapAuditLog("/api/notifications");
        return app;
    }
}
