using System.Text.Json;
using Microsoft.Extensions.Logging;
using Playbooks.Messaging;
using Playbooks.Messaging.Consumers;
using Playbooks.Messaging.Contracts;
using Playbooks.Tasks.Storage;

namespace Playbooks.Tasks.Cancellation;

/// <summary>
/// A playbook run that is cancelled or exits takes its open and snoozed tasks with it, each publishing <c>task.cancelled</c>,
/// so no CSM works on a task nobody waits for. Done tasks stay done.
/// </summary>
internal sealed partial class InstanceTasksCancellationConsumer(ITaskStore store, ILogger<InstanceTasksCancellationConsumer> logger) : IEventConsumer
{
    public IReadOnlyCollection<string> EventTypes { get; } = [Messaging.Contracts.EventTypes.InstanceTasksCancellationRequested];

    public int AccountsAtOnce => TasksService.AccountsAtOnce;

    public async Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var request = envelope.Data.Deserialize<InstanceTasksCancellationRequested>(JsonSerializerOptions.Web);
        if (request is null || string.IsNullOrEmpty(request.InstanceId))
        {
            LogRejected(logger, envelope.Id);
            return;
        }

        var cancelled = await store.CancelInstanceAsync(envelope.Id, request, cancellationToken);
        if (cancelled.Count > 0) LogCancelled(logger, cancelled.Count, request.InstanceId, request.Reason);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Cancelled {Count} tasks of {InstanceId}: {Reason}")]
    private static partial void LogCancelled(ILogger logger, int count, string instanceId, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Rejected cancellation {EventId}: it names no instance")]
    private static partial void LogRejected(ILogger logger, string eventId);
}
