using Microsoft.Extensions.DependencyInjection;

namespace Playbooks.Notifications.Templates;

internal static class TemplatesExtensions
{
    public static IServiceCollection AddNotificationTemplates(this IServiceCollection services)
    {
        services.AddSingleton<TemplateStore>();
        services.AddSingleton<TemplateRenderer>();
        services.AddSingleton<TemplateValidator>();
        services.AddHostedService<TemplateSeeder>();
        return services;
    }
}
