using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Playbooks.Notifications.Channels.Chat;
using Playbooks.Notifications.Channels.Email;

namespace Playbooks.Notifications.Channels;

/// <summary>Says at start-up where messages will go, and warns about settings that work but should not stay as they are.</summary>
internal sealed partial class ChannelSettingsReport(SmtpOptions smtp, ChatOptions chat, ILogger<ChannelSettingsReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogSmtp(logger, smtp.Endpoint, smtp.Security.ToString());
        if (string.IsNullOrEmpty(chat.SigningSecret)) LogUnsigned(logger);
        if (chat.WebhookUrl is null) LogNoTeamRoom(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Email goes through {Endpoint} (security: {Security})")]
    private static partial void LogSmtp(ILogger logger, string endpoint, string security);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Chat webhooks are sent unsigned: set Notifications:Chat:SigningSecret so receivers can verify X-Playbooks-Signature")]
    private static partial void LogUnsigned(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "No Notifications:Chat:WebhookUrl: chat messages to people are refused; rules with a webhook address still work")]
    private static partial void LogNoTeamRoom(ILogger logger);
}
