using Playbooks.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Playbooks.Tasks.Api;

namespace Playbooks.Tasks.Assignment;

/// <summary><c>/api/tasks/queues</c>: the team and role queues that playbooks assign tasks to, and who is in them.</summary>
public static class QueuesApi
{
    public const int MaxMembers = 500;

    public sealed record PutRequest(IReadOnlyList<string>? Members);

    public static RouteGroupBuilder MapQueuesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup($"{TasksApi.Prefix}/queues").WithTags("Queues");
        group.MapGet("", async (IQueueStore store, CancellationToken cancellationToken) => TypedResults.Ok(await store.ListAsync(cancellationToken))).RequireAuthorization(Access.WorkTasks);
        group.MapGet("/{name}", GetAsync).RequireAuthorization(Access.WorkTasks);
        group.MapPut("/{name}", PutAsync).RequireAuthorization(Access.ManageQueues);
        return group;
    }

    private static async Task<Results<Ok<TaskQueue>, ProblemHttpResult>> GetAsync(string name, IQueueStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(QueueNames.Normalize(name)!, cancellationToken) is { } queue
            ? TypedResults.Ok(queue)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Queue not found",
                detail: $"There is no queue '{name}'. Create it with PUT {TasksApi.Prefix}/queues/{name} and {{\"members\": [\"sam@example.com\"]}}.");

    private static async Task<Results<Ok<TaskQueue>, ValidationProblem>> PutAsync(
        string name, PutRequest request, CurrentUser user, IQueueStore store, CancellationToken cancellationToken)
    {
        var queue = QueueNames.Normalize(name)!;
        if (!QueueNames.IsValid(queue)) return TaskProblems.Invalid("name", $"'{name}' is not a queue name: use {QueueNames.Rule}.");
        var members = (request.Members ?? []).Select(UserIds.Normalize).ToList();
        if (members.Count == 0)
            return TaskProblems.Invalid("members", "List the queue's members by email address, e.g. {\"members\": [\"sam@example.com\"]}.");
        if (members.Count > MaxMembers) return TaskProblems.Invalid("members", $"A queue holds at most {MaxMembers} members; split it.");
        if (members.Any(m => m is null)) return TaskProblems.Invalid("members", "A member is blank: remove it or fill in the email address.");
        if (members.GroupBy(m => m).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return TaskProblems.Invalid("members", $"'{twice.Key}' is listed more than once: list each member once.");

        return TypedResults.Ok(await store.PutAsync(queue, members!, user.Id, cancellationToken));
    }
}
