using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Playbooks.Tasks.Api;
using Playbooks.Tasks.Storage;

namespace Playbooks.Tasks.Actions;

/// <summary><c>POST /api/tasks/{id}/reassign</c>: hands the task to someone else; the history keeps who had it before.</summary>
public static class ReassignTask
{
    public sealed record Request(string? Assignee, string? Reason);

    public static async Task<Results<Ok<TaskDetail>, ProblemHttpResult, ValidationProblem>> HandleAsync(
        string id, Request request, CurrentUser user, ITaskStore store, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(id, cancellationToken);
        if (current is null) return TaskProblems.NotFound(id);
        if (!user.CanSee(current.Task)) return TaskProblems.NotYours(current.Task, user);
        if (!TaskStatuses.IsActive(current.Task.Status)) return TaskProblems.Closed(current.Task, "reassigned");
        if (UserIds.Normalize(request.Assignee) is not { } assignee)
            return TaskProblems.Invalid("assignee", "Name the person to hand the task to by email address, e.g. \"sam@example.com\".");
        if (TextLimits.Check("reason", request.Reason) is { } tooLong) return tooLong;
        // Handing a task to whoever already has it changes nothing, so it adds no history.
        if (assignee == current.Task.Assignee) return TypedResults.Ok(current);

        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        if (await store.ReassignAsync(id, assignee, reason, user.Id, cancellationToken) is null)
            return TaskProblems.Closed((await store.GetAsync(id, cancellationToken))!.Task, "reassigned");
        return TypedResults.Ok((await store.GetAsync(id, cancellationToken))!);
    }
}
