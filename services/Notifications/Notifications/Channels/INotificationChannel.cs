namespace Playbooks.Notifications.Channels;

/// <summary>A way to reach people. Sends once per call; retries, circuit breaking and dead-lettering belong to the dispatcher.</summary>
public interface INotificationChannel
{
    string Name { get; }

    /// <summary>What the channel talks to for this message (an SMTP server, a webhook host): the circuit breaker's key.</summary>
    string EndpointOf(OutgoingNotification notification);

    /// <summary>
    /// Whether sending a message again after a crash mid-send cannot duplicate it (the in-app inbox is keyed by delivery id).
    /// For the others the outcome of an interrupted send is unknown, so it is dead-lettered instead of risking a second copy.
    /// </summary>
    bool ResendIsHarmless { get; }

    /// <summary>Returns the outcome; throws only for cancellation or a bug.</summary>
    Task<SendResult> SendAsync(OutgoingNotification notification, CancellationToken cancellationToken);
}
