using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Playbooks.Tasks.Actions;
using Playbooks.Tasks.Storage;

namespace Playbooks.Tasks.Api;

/// <summary>The CSM's task API. The gateway forwards <c>/api/tasks/**</c> here unchanged.</summary>
public static class TasksApi
{
    public const string Prefix = "/api/tasks";

    public static RouteGroupBuilder MapTasksApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix).WithTags("Tasks");
        group.MapGet("", ListTasks.HandleAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPost("/{id}/complete", CompleteTask.HandleAsync);
        group.MapPost("/{id}/snooze", SnoozeTask.HandleAsync);
        group.MapPost("/{id}/reassign", ReassignTask.HandleAsync);
        group.MapPost("/{id}/comments", CommentOnTask.HandleAsync);
        group.MapPut("/{id}/checklist/{item:int}", TickChecklistItem.HandleAsync);
        return group;
    }

    private static async Task<Results<Ok<TaskDetail>, ProblemHttpResult>> GetAsync(string id, ITaskStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } task ? TypedResults.Ok(task) : TaskProblems.NotFound(id);
}
