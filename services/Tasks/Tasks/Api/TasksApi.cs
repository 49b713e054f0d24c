using Playbooks.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Playbooks.Tasks.Actions;
using Playbooks.Tasks.Storage;

namespace Playbooks.Tasks.Api;

/// <summary>The task API: CSMs work their own and their team's tasks, CS Ops all of them. The gateway forwards <c>/api/tasks/**</c> here unchanged.</summary>
public static class TasksApi
{
    public const string Prefix = "/api/tasks";

    public static RouteGroupBuilder MapTasksApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix).WithTags("Tasks").RequireAuthorization(Access.WorkTasks);
        group.MapGet("", ListTasks.HandleAsync);
        group.MapGet("/feed", Feed.FollowTasks.Handle);
        group.MapGet("/{id}", GetAsync);
        group.MapPost("/{id}/complete", CompleteTask.HandleAsync);
        group.MapPost("/{id}/snooze", SnoozeTask.HandleAsync);
        group.MapPost("/{id}/reassign", ReassignTask.HandleAsync);
        group.MapPost("/{id}/comments", CommentOnTask.HandleAsync);
        group.MapPut("/{id}/checklist/{item:int}", TickChecklistItem.HandleAsync);
        return group;
    }

    private static async Task<Results<Ok<TaskDetail>, ProblemHttpResult>> GetAsync(string id, CurrentUser user, ITaskStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) switch
        {
            null => TaskProblems.NotFound(id),
            { } task when !user.CanSee(task.Task) => TaskProblems.NotYours(task.Task, user),
            { } task => TypedResults.Ok(task),
        };
}
