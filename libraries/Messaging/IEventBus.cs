namespace Playbooks.Messaging;

/// <summary>Handles one delivery of an event; may be called more than once for the same event id.</summary>
public delegate Task EventHandler(EventEnvelope envelope, CancellationToken cancellationToken);

/// <summary>
/// The suite's bus: at-least-once delivery to every consumer group that subscribed to a type.
/// Publishers call it from their outbox relay; consumers make handling idempotent by event id.
/// </summary>
public interface IEventBus
{
    /// <summary>Completes when every subscribed group has accepted the events; throws if one could not.</summary>
    Task PublishAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken);

    /// <summary>
    /// Delivers events of <paramref name="eventTypes"/> ("*" for all) to one consumer group, up to
    /// <paramref name="accountsAtOnce"/> accounts' events at a time (one account's in order), letting them gather for
    /// <paramref name="gatherFor"/> after a read that was not full (see <see cref="Consumers.IEventConsumer.GatherFor"/>).
    /// </summary>
    IDisposable Subscribe(string consumerGroup, IReadOnlyCollection<string> eventTypes, EventHandler handler,
        int accountsAtOnce = Consumers.IEventConsumer.DefaultAccountsAtOnce, TimeSpan gatherFor = default);
}
