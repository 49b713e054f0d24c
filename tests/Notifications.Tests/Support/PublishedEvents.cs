using System.Collections.Concurrent;
using System.Text.Json;
using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Notifications.Tests.Support;

/// <summary>Listens on the bus, as the metrics service would, for what the notifications service publishes.</summary>
public sealed class PublishedEvents : IDisposable
{
    private readonly ConcurrentQueue<(string Type, NotificationDelivered Payload)> _seen = new();
    private IDisposable? _subscription;

    public void Observe(IEventBus bus)
    {
        _subscription?.Dispose();
        _subscription = bus.Subscribe($"test-observer-{Guid.NewGuid():N}", [EventTypes.NotificationSent, EventTypes.NotificationFailed], (envelope, _) =>
        {
            _seen.Enqueue((envelope.Type, envelope.Data.Deserialize<NotificationDelivered>(JsonSerializerOptions.Web)!));
            return Task.CompletedTask;
        });
    }

    public IReadOnlyList<NotificationDelivered> Of(string type, string instanceId) =>
        _seen.Where(seen => seen.Type == type && seen.Payload.InstanceId == instanceId).Select(seen => seen.Payload).ToList();

    public Task<IReadOnlyList<NotificationDelivered>> WaitForAsync(string type, string instanceId, int count, TimeSpan? timeout = null) =>
        Playbooks.TestSupport.SuiteFixture.EventuallyAsync(() => Task.FromResult(Of(type, instanceId)), seen => seen.Count >= count, timeout);

    public void Dispose() => _subscription?.Dispose();
}
