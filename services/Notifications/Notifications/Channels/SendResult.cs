namespace Playbooks.Notifications.Channels;

public enum SendStatus
{
    Sent,

    /// <summary>Worth trying again later: the endpoint was unreachable, busy or failing (SMTP 4xx, HTTP 5xx, timeouts).</summary>
    Transient,

    /// <summary>Trying again cannot help: the endpoint refused this message (SMTP 5xx, HTTP 4xx).</summary>
    Permanent,

    /// <summary>The endpoint had the whole message when its answer was lost: it may have arrived, so it is not sent again.</summary>
    Unknown,
}

/// <summary>What one attempt to send came to.</summary>
/// <param name="RetryAfter">How long the endpoint asked us to wait (HTTP Retry-After), if it said.</param>
public sealed record SendResult(SendStatus Status, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static readonly SendResult Sent = new(SendStatus.Sent);

    public static SendResult Transient(string error, TimeSpan? retryAfter = null) => new(SendStatus.Transient, error, retryAfter);

    public static SendResult Permanent(string error) => new(SendStatus.Permanent, error);

    public static SendResult Unknown(string error) => new(SendStatus.Unknown, error);
}
