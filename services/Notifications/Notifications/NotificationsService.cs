using Microsoft.AspNetCore.Builder;
using Playbooks.Notifications.Storage;
using Playbooks.Storage;

namespace Playbooks.Notifications;

/// <summary>How the notifications service adds itself to a host and maps its API, the same in embedded and distributed mode.</summary>
public static class NotificationsService
{
    public const string Name = "notifications";

    public static WebApplicationBuilder AddNotificationsService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase(Name, NotificationsMigrations.All);
        return builder;
    }

    public static WebApplication MapNotificationsService(this WebApplication app)
    {
        return app;
    }
}
