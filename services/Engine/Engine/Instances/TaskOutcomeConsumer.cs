using System.Text.Json;
using System.Text.Json.Nodes;
using Playbooks.Engine.Execution;
using Playbooks.Messaging;
using Playbooks.Messaging.Consumers;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Instances;

/// <summary>A CSM completed a task (or it went overdue): resume the run waiting on it, on that outcome's branch.</summary>
internal sealed class TaskOutcomeConsumer(InstanceRuntime runtime) : IEventConsumer
{
    public IReadOnlyCollection<string> EventTypes { get; } = [Messaging.Contracts.EventTypes.TaskCompleted, Messaging.Contracts.EventTypes.TaskOverdue];

    // A run may go on a twentieth of a second after its CSM closed the task. The engine reads every entry on the stream
    // and wants few; read as they came, the reads and their upkeep were about a tenth of its CPU at 150 events a second.
    public TimeSpan GatherFor => TimeSpan.FromMilliseconds(50);

    public async Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var task = envelope.Data.Deserialize<TaskChanged>(JsonSerializerOptions.Web)!;
        var kind = envelope.Type == Messaging.Contracts.EventTypes.TaskCompleted ? Stimulus.TaskCompleted : Stimulus.TaskOverdue;
        var stimulus = new Stimulus(kind, Bookmark.TaskKey(task.InstanceId, task.ActivityId), JsonSerializer.SerializeToNode(task, JsonSerializerOptions.Web), envelope.OccurredAt);
        await runtime.DeliverAsync(stimulus, envelope.Id, cancellationToken);
    }
}
