using System.Collections.Concurrent;
using Playbooks.Messaging;
using Playbooks.TestSupport;

namespace Playbooks.Engine.Tests.Support;

/// <summary>Watches the suite's bus as one more consumer group, so a test sees what the engine told the other services.</summary>
public sealed class BusRecorder : IDisposable
{
    private readonly ConcurrentQueue<EventEnvelope> _events = new();
    private readonly IDisposable _subscription;

    public BusRecorder(IEventBus bus) =>
        _subscription = bus.Subscribe($"engine-tests-{Guid.NewGuid():N}", ["*"], (envelope, _) =>
        {
            _events.Enqueue(envelope);
            return Task.CompletedTask;
        });

    public IReadOnlyList<EventEnvelope> Events => [.. _events];

    public IReadOnlyList<EventEnvelope> Of(string type, string? accountId = null) =>
        Events.Where(e => e.Type == type && (accountId is null || e.AccountId == accountId)).ToList();

    /// <summary>Waits until an event of <paramref name="type"/> for the account arrives (the outbox relays after commit).</summary>
    public async Task<EventEnvelope> WaitForAsync(string type, string accountId, Func<EventEnvelope, bool>? match = null) =>
        (await SuiteFixture.EventuallyAsync(
            () => Task.FromResult(Of(type, accountId).FirstOrDefault(e => match?.Invoke(e) ?? true)),
            found => found is not null))!;

    public void Dispose() => _subscription.Dispose();
}
