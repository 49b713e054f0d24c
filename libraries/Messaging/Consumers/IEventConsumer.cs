namespace Playbooks.Messaging.Consumers;

/// <summary>Something a service does with events from the bus; it must tolerate redelivery (use the inbox).</summary>
public interface IEventConsumer
{
    /// <summary>The event types wanted, or "*" for all.</summary>
    IReadOnlyCollection<string> EventTypes { get; }

    Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken);

    /// <summary>
    /// How many accounts' events it may be handed at once (one account's always one after another). A handler that
    /// waits on its own commit holds a pooled connection meanwhile, hence the default; one that gathers events into a
    /// shared commit does better with a whole read at once.
    /// </summary>
    int AccountsAtOnce => DefaultAccountsAtOnce;

    /// <summary>
    /// How long events may gather on the stream before the next read, after one that was not full. Zero hands each event
    /// over as it comes. A consumer whose readers can wait a moment (dashboards, email) and that commits a read at once
    /// does a few reads and commits a second instead of one for nearly every event at a trickle.
    /// </summary>
    TimeSpan GatherFor => TimeSpan.Zero;

    // A handler holds a pooled connection or two (an engine resume: its instance lock's and one for the work), and the
    // service's API and background work need some meanwhile.
    const int DefaultAccountsAtOnce = 8;
}
