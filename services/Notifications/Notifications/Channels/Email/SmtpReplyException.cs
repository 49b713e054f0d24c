namespace Playbooks.Notifications.Channels.Email;

/// <summary>Where in the SMTP exchange a reply came: it decides whether a refusal is about the server or the message.</summary>
public enum SmtpStage
{
    /// <summary>Greeting, EHLO, STARTTLS, AUTH: the server or our configuration, never the message.</summary>
    Session,

    /// <summary>MAIL FROM, RCPT TO: the sender or the recipient.</summary>
    Envelope,

    /// <summary>DATA and the message itself.</summary>
    Message,
}

/// <summary>The SMTP server answered with a code other than the one the exchange needs.</summary>
public sealed class SmtpReplyException(int code, string reply, SmtpStage stage, string command)
    : Exception($"SMTP {code} {reply} (after {command})")
{
    public int Code { get; } = code;

    public SmtpStage Stage { get; } = stage;

    /// <summary>
    /// 5xx about this message or recipient cannot succeed later. A 5xx during the session (e.g. authentication) is the
    /// endpoint's fault, so it counts towards the circuit breaker and retries instead of dead-lettering every message.
    /// </summary>
    public bool IsPermanent => Code is >= 500 and < 600 && Stage != SmtpStage.Session;

    /// <summary>421 closes the connection; after other refusals of one message the connection can carry the next.</summary>
    public bool ConnectionUsable => Code != 421 && Stage != SmtpStage.Session;
}
