using System.Collections.Concurrent;
using System.Text.Json;
using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;
using Playbooks.TestSupport;

namespace Playbooks.Tasks.Tests;

/// <summary>Watches the suite's bus as its own consumer group, the way the engine and metrics services do.</summary>
public sealed class BusRecorder : IDisposable
{
    private readonly ConcurrentQueue<EventEnvelope> _events = new();
    private readonly IDisposable _subscription;

    public BusRecorder(IEventBus bus, params string[] types) =>
        _subscription = bus.Subscribe($"test-{Guid.NewGuid():N}", types, (envelope, _) =>
        {
            _events.Enqueue(envelope);
            return Task.CompletedTask;
        });

    /// <summary>The task events seen so far for one task (or one run's tasks), with their type.</summary>
    public IReadOnlyList<(string Type, TaskChanged Task, EventEnvelope Envelope)> TaskEvents(Func<TaskChanged, bool> which) =>
        _events.Where(e => e.Type.StartsWith("task.", StringComparison.Ordinal))
            .Select(e => (e.Type, Task: e.Data.Deserialize<TaskChanged>(JsonSerializerOptions.Web)!, e))
            .Where(e => which(e.Task))
            .ToList();

    public async Task<(string Type, TaskChanged Task, EventEnvelope Envelope)> WaitForAsync(string type, Func<TaskChanged, bool> which) =>
        await SuiteFixture.EventuallyAsync(
            () => Task.FromResult(TaskEvents(which).FirstOrDefault(e => e.Type == type)),
            found => found.Type is not null);

    public void Dispose() => _subscription.Dispose();
}
