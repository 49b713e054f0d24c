namespace Playbooks.Notifications.Channels.Email;

/// <summary>
/// The server had the whole message when its answer was lost (no answer in time, or the connection closed): it may
/// have taken it, so the message must not be sent again.
/// </summary>
public sealed class SmtpOutcomeUnknownException(Exception cause)
    : IOException($"The mail server had the whole message but its answer was lost ({cause.Message}); it may have delivered it.", cause);
