namespace Playbooks.Notifications.Channels.Chat;

/// <summary>Chat webhooks (Slack-compatible): configuration section <c>Notifications:Chat</c>.</summary>
public sealed class ChatOptions
{
    /// <summary>Where chat messages to the CS team go when the recipient rule gives no webhook URL of its own.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Key for the <c>X-Playbooks-Signature</c> HMAC; without it messages are sent unsigned (a warning is logged at start).</summary>
    public string? SigningSecret { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
