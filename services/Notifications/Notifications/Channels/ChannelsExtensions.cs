using Microsoft.Extensions.DependencyInjection;
using Playbooks.Notifications.Channels.Chat;
using Playbooks.Notifications.Channels.Email;
using Playbooks.Notifications.Channels.InApp;

namespace Playbooks.Notifications.Channels;

internal static class ChannelsExtensions
{
    public static IServiceCollection AddNotificationChannels(this IServiceCollection services)
    {
        services.AddSingleton<SmtpConnectionPool>();
        services.AddSingleton<INotificationChannel, EmailChannel>();
        services.AddHttpClient(ChatChannel.HttpClientName, client => client.DefaultRequestHeaders.UserAgent.ParseAdd("Playbooks-Notifications/1.0"));
        services.AddSingleton<INotificationChannel, ChatChannel>();
        services.AddSingleton<InboxStore>();
        services.AddSingleton<INotificationChannel, InAppChannel>();
        services.AddSingleton<NotificationChannels>();
        services.AddHostedService<ChannelSettingsReport>();
        return services;
    }
}
