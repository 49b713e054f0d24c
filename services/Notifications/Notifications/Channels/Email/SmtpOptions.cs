namespace Playbooks.Notifications.Channels.Email;

/// <summary>The SMTP server email goes through: configuration section <c>Notifications:Smtp</c>.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "localhost";

    public int Port { get; set; } = 25;

    /// <summary><c>None</c>, <c>StartTls</c> (upgrade after connecting, usually port 587) or <c>Tls</c> (TLS from the start, usually port 465).</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.None;

    /// <summary>With <see cref="Password"/>, sent as AUTH PLAIN; only over TLS unless the server is on loopback.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>Acme Customer Success &lt;cs@acme.example&gt;</c>.</summary>
    public string From { get; set; } = "Playbooks <notifications@playbooks.local>";

    /// <summary>How long one SMTP exchange (connect, a command, the message) may take before the attempt counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections kept open and reused; also the most messages in flight to the server at once.</summary>
    public int MaxConnections { get; set; } = 4;

    /// <summary>A connection is closed and replaced after this many messages (servers often cap it).</summary>
    public int MessagesPerConnection { get; set; } = 100;

    /// <summary>An idle connection older than this is closed rather than reused (servers drop idle clients).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The endpoint name for the circuit breaker and the delivery log.</summary>
    public string Endpoint => $"smtp://{Host}:{Port}";
}

public enum SmtpSecurity
{
    None,
    StartTls,
    Tls,
}
