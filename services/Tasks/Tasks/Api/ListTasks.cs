using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Playbooks.Tasks.Storage;

namespace Playbooks.Tasks.Api;

/// <summary>
/// <c>GET /api/tasks</c>: a CSM's inbox. Filters combine with AND; <c>status</c> and <c>priority</c> take comma-separated lists;
/// <c>assignee=me</c> means the caller. A CSM's list holds only their own and their team's tasks.
/// </summary>
public static class ListTasks
{
    public const int MaxPageSize = 200;

    public static readonly IReadOnlyDictionary<string, TaskSort> Sorts = new Dictionary<string, TaskSort>
    {
        ["due"] = TaskSort.DueSoonest,
        ["-due"] = TaskSort.DueLatest,
        ["priority"] = TaskSort.MostUrgent,
        ["-priority"] = TaskSort.LeastUrgent,
        ["created"] = TaskSort.Oldest,
        ["-created"] = TaskSort.Newest,
    };

    public sealed record Request(
        string? Assignee, string? Status, DateTimeOffset? DueFrom, DateTimeOffset? DueTo, string? Account, string? Priority,
        bool? Overdue, string? Team, string? Instance, string? Sort, int? Page, int? PageSize);

    public static async Task<Results<Ok<TaskPage>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        [AsParameters] Request request, CurrentUser user, ITaskStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var statuses = Split(request.Status);
        if (statuses.FirstOrDefault(s => !TaskStatuses.All.Contains(s)) is { } badStatus)
            errors["status"] = [$"'{badStatus}' is not a status. Use {string.Join(", ", TaskStatuses.All)} (comma-separated for several)."];
        var priorities = Split(request.Priority);
        if (priorities.FirstOrDefault(p => !TaskPriorities.All.Contains(p)) is { } badPriority)
            errors["priority"] = [$"'{badPriority}' is not a priority. Use {string.Join(", ", TaskPriorities.All)} (comma-separated for several)."];
        var sort = TaskSort.DueSoonest;
        if (request.Sort is { } sortName && !Sorts.TryGetValue(sortName.Trim().ToLowerInvariant(), out sort))
            errors["sort"] = [$"'{sortName}' is not a sort order. Use one of {string.Join(", ", Sorts.Keys)} ('-' for the reverse)."];
        if (request.Page is < 1) errors["page"] = ["Pages count from 1."];
        if (request.PageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"Ask for 1 to {MaxPageSize} tasks per page."];
        if (request.DueFrom > request.DueTo) errors["dueFrom"] = ["dueFrom is after dueTo: swap them."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(e => e)));

        var team = NullIfBlank(request.Team)?.ToLowerInvariant();
        if (!user.SeesEveryTask && team is not null && team != user.Team)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your team",
                detail: $"As a CSM{(user.Team is null ? " without a team" : $" in team {user.Team}")} you see your own and your team's tasks, not team {team}'s.");

        var assignee = request.Assignee?.Trim().Equals("me", StringComparison.OrdinalIgnoreCase) == true ? user.Id : UserIds.Normalize(request.Assignee);
        var query = new TaskQuery(assignee, statuses, request.DueFrom, request.DueTo, NullIfBlank(request.Account), priorities, request.Overdue,
            team, NullIfBlank(request.Instance), sort, request.Page ?? 1, request.PageSize ?? 50,
            user.SeesEveryTask ? null : (user.Id, user.Team));
        return TypedResults.Ok(await store.ListAsync(query, cancellationToken));
    }

    private static List<string> Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).Distinct().ToList();

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
