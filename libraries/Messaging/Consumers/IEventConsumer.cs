namespace Playbooks.Messaging.Consumers;

/// <summary>Something a service does with events from the bus; it must tolerate redelivery (use the inbox).</summary>
public interface IEventConsumer
{
    /// <summary>The event types wanted, or "*" for all.</summary>
    IReadOnlyCollection<string> EventTypes { get; }

    Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken);
}
