using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Playbooks.Tasks.Api;
using Playbooks.Tasks.Storage;

namespace Playbooks.Tasks.Actions;

/// <summary><c>PUT /api/tasks/{id}/checklist/{item}</c> with <c>{"done": true}</c> ticks an item, <c>false</c> unticks it.</summary>
public static class TickChecklistItem
{
    public sealed record Request(bool? Done);

    public static async Task<Results<Ok<TaskDetail>, ProblemHttpResult, ValidationProblem>> HandleAsync(
        string id, int item, Request request, CurrentUser user, ITaskStore store, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(id, cancellationToken);
        if (current is null) return TaskProblems.NotFound(id);
        if (!user.CanSee(current.Task)) return TaskProblems.NotYours(current.Task, user);
        if (current.Checklist.All(i => i.Item != item))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Checklist item not found",
                detail: current.Checklist.Count == 0
                    ? $"Task '{id}' has no checklist."
                    : $"Task '{id}' has checklist items 1 to {current.Checklist.Count}; there is no item {item}.");
        if (!TaskStatuses.IsActive(current.Task.Status)) return TaskProblems.Closed(current.Task, "changed");
        if (request.Done is not { } done) return TaskProblems.Invalid("done", "Say {\"done\": true} to tick the item or {\"done\": false} to untick it.");

        if (!await store.SetChecklistItemAsync(id, item, done, user.Id, cancellationToken))
            return TaskProblems.Closed((await store.GetAsync(id, cancellationToken))!.Task, "changed");
        return TypedResults.Ok((await store.GetAsync(id, cancellationToken))!);
    }
}
