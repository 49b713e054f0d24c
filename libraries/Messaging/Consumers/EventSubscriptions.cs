using Microsoft.Extensions.Hosting;
using Playbooks.ServiceDefaults.Hosting;

namespace Playbooks.Messaging.Consumers;

/// <summary>
/// Subscribes the service's consumers to the bus under the service's name as the consumer group: once, for every type
/// any of them wants, handing each event to the consumers that want it. One subscription per group matters on Redis
/// Streams: a group shares its entries among its readers, so a reader per consumer would hand an event to a consumer
/// that does not want it (which acknowledges and skips it) and the one that does would never see it.
/// </summary>
internal sealed class EventSubscriptions(IEventBus bus, ServiceIdentity service, IEnumerable<IEventConsumer> consumers) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var all = consumers.ToList();
        if (all.Count == 0) return Task.CompletedTask;
        var types = all.SelectMany(c => c.EventTypes).ToHashSet(StringComparer.Ordinal);
        _subscription = bus.Subscribe(service.Name, types.Contains("*") ? ["*"] : types, async (envelope, token) =>
        {
            foreach (var consumer in all)
                if (consumer.EventTypes.Contains("*") || consumer.EventTypes.Contains(envelope.Type))
                    await consumer.HandleAsync(envelope, token);
        }, all.Min(c => c.AccountsAtOnce), all.Min(c => c.GatherFor));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        _subscription = null;
        return Task.CompletedTask;
    }
}
