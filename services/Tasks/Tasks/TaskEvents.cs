using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Tasks;

/// <summary>The events the service publishes about a task's life, all with a <see cref="TaskChanged"/> payload.</summary>
internal static class TaskEvents
{
    public static EventEnvelope Changed(string type, TaskSummary task, DateTimeOffset now) =>
        EventEnvelopeFactory.Create(type, TasksService.Name, task.AccountId,
            new TaskChanged(task.Id, task.InstanceId, task.ActivityId, task.AccountId, task.Assignee, task.Team, task.DueAt,
                task.CreatedAt, task.Outcome, task.Note, task.ClosedBy, task.ClosedAt),
            now);
}
