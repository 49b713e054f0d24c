using System.Collections.Concurrent;

namespace Playbooks.Messaging;

/// <summary>
/// The embedded bus: publishing hands each event to every subscribed group in this process and waits until
/// they have handled it. Durability comes from the publisher's outbox, which marks an event sent only after this returns,
/// so a crash in between redelivers it and the consumers' inboxes drop the duplicate.
/// </summary>
public sealed class InProcessEventBus : IEventBus
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    public async Task PublishAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        foreach (var envelope in events)
        {
            var publishedAt = DateTimeOffset.UtcNow;
            var deliveries = _subscriptions.Keys
                .Where(subscription => subscription.Wants(envelope.Type))
                .Select(subscription => subscription.DeliverAsync(envelope, publishedAt, cancellationToken));
            await Task.WhenAll(deliveries);
        }
    }

    // Events arrive one at a time here (each publish waits for its handlers), so there is nothing to hand over at once
    // or to gather.
    public IDisposable Subscribe(string consumerGroup, IReadOnlyCollection<string> eventTypes, EventHandler handler,
        int accountsAtOnce = Consumers.IEventConsumer.DefaultAccountsAtOnce, TimeSpan gatherFor = default)
    {
        var subscription = new Subscription(this, consumerGroup, eventTypes.ToHashSet(StringComparer.Ordinal), handler);
        _subscriptions[subscription] = 0;
        return subscription;
    }

    private sealed class Subscription(InProcessEventBus bus, string group, HashSet<string> types, EventHandler handler) : IDisposable
    {
        public bool Wants(string type) => types.Contains("*") || types.Contains(type);

        public Task DeliverAsync(EventEnvelope envelope, DateTimeOffset publishedAt, CancellationToken cancellationToken) =>
            EventTracing.ConsumeAsync(envelope, group, publishedAt, handler, cancellationToken);

        public void Dispose() => bus._subscriptions.TryRemove(this, out _);
    }
}
