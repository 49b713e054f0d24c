using System.Text.Json;
using Microsoft.Extensions.Logging;
using Playbooks.Messaging;
using Playbooks.Messaging.Consumers;
using Playbooks.Messaging.Contracts;
using Playbooks.Tasks.Storage;

namespace Playbooks.Tasks.Escalation;

/// <summary>The engine's Escalate activity raises the priority of a task an earlier activity created.</summary>
internal sealed partial class TaskEscalationConsumer(ITaskStore store, ILogger<TaskEscalationConsumer> logger) : IEventConsumer
{
    public IReadOnlyCollection<string> EventTypes { get; } = [Messaging.Contracts.EventTypes.TaskEscalationRequested];

    public int AccountsAtOnce => TasksService.AccountsAtOnce;

    public async Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var request = envelope.Data.Deserialize<TaskEscalationRequested>(JsonSerializerOptions.Web);
        if (request is null || string.IsNullOrEmpty(request.InstanceId) || string.IsNullOrEmpty(request.TaskActivityId))
        {
            LogRejected(logger, envelope.Id);
            return;
        }

        var task = await store.EscalateAsync(envelope.Id, request, cancellationToken);
        if (task is null) LogNothingToEscalate(logger, request.InstanceId, request.TaskActivityId);
        else LogEscalated(logger, task.Id, task.Priority);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Escalated task {TaskId} to {Priority}")]
    private static partial void LogEscalated(ILogger logger, string taskId, string priority);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Nothing to escalate for {InstanceId}/{ActivityId}: no open task, or already handled")]
    private static partial void LogNothingToEscalate(ILogger logger, string instanceId, string activityId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Rejected escalation {EventId}: it names no instance or task activity")]
    private static partial void LogRejected(ILogger logger, string eventId);
}
