using Microsoft.Extensions.Hosting;
using Playbooks.ServiceDefaults.Hosting;

namespace Playbooks.Messaging.Consumers;

/// <summary>Subscribes the service's consumers to the bus under the service's name as the consumer group.</summary>
internal sealed class EventSubscriptions(IEventBus bus, ServiceIdentity service, IEnumerable<IEventConsumer> consumers) : IHostedService
{
    private readonly List<IDisposable> _subscriptions = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var consumer in consumers)
            _subscriptions.Add(bus.Subscribe(service.Name, consumer.EventTypes, consumer.HandleAsync));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var subscription in _subscriptions) subscription.Dispose();
        _subscriptions.Clear();
        return Task.CompletedTask;
    }
}
