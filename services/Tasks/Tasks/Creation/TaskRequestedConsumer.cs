using System.Text.Json;
using Microsoft.Extensions.Logging;
using Playbooks.Messaging;
using Playbooks.Messaging.Consumers;
using Playbooks.Messaging.Contracts;
using Playbooks.Tasks.Feed;
using Playbooks.Tasks.Overdue;
using Playbooks.Tasks.Storage;

namespace Playbooks.Tasks.Creation;

/// <summary>
/// Creates the task a playbook's CreateTask activity asks for. The description arrives rendered by the engine and is
/// stored as is. The unique (instance, activity) index drops a redelivered event, and a second request for the same
/// activity under a new event id; a queue rule, which takes the queue's turn before the insert, also checks the inbox.
/// A request handled after its run's cancellation has its task cancelled at once.
/// </summary>
internal sealed partial class TaskRequestedConsumer(ITaskStore store, DueSchedule schedule, TaskFeed feed, ILogger<TaskRequestedConsumer> logger) : IEventConsumer
{
    public IReadOnlyCollection<string> EventTypes { get; } = [Messaging.Contracts.EventTypes.TaskRequested];

    public int AccountsAtOnce => TasksService.AccountsAtOnce;

    public async Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var request = envelope.Data.Deserialize<TaskRequested>(JsonSerializerOptions.Web);
        if (TaskRequestCheck.Problem(request) is { } problem)
        {
            // Retrying cannot fix a malformed request, and failing would hold up the engine's other events behind it.
            LogRejected(logger, envelope.Id, problem);
            return;
        }

        var (task, runEnded) = await store.CreateAsync(envelope.Id, request!, cancellationToken);
        if (task is null) LogDuplicate(logger, envelope.Id, request!.InstanceId, request.ActivityId);
        else
        {
            LogCreated(logger, task.Id, task.InstanceId, task.ActivityId, task.Assignee ?? "nobody");
            schedule.Consider(task.DueAt);
            feed.Announce(task);
        }
        // The run's cancellation was handled first (this request was retried after a failure, or handled on another
        // replica): the task is cancelled as if it had come first, rather than left open for a run that is over. Also
        // for a redelivery, in case the cancellation did not follow the create's commit.
        if (runEnded)
            await store.CancelInstanceAsync($"{envelope.Id}:run-ended", new InstanceTasksCancellationRequested(request!.InstanceId, RunEndedReason), cancellationToken);
    }

    private const string RunEndedReason = "The playbook run had ended before its task was created";

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Created task {TaskId} for {InstanceId}/{ActivityId}, assigned to {Assignee}")]
    private static partial void LogCreated(ILogger logger, string taskId, string instanceId, string activityId, string assignee);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Ignored task request {EventId}: {InstanceId}/{ActivityId} already has its task")]
    private static partial void LogDuplicate(ILogger logger, string eventId, string instanceId, string activityId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Rejected task request {EventId}: {Problem}")]
    private static partial void LogRejected(ILogger logger, string eventId, string problem);
}
