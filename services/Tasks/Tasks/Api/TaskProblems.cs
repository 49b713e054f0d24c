using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Playbooks.Tasks.Api;

/// <summary>The errors every task endpoint can answer, worded to say what to do about them.</summary>
internal static class TaskProblems
{
    public static ProblemHttpResult NotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Task not found",
        detail: $"There is no task '{id}'. List tasks with GET /api/tasks to find its id.");

    public static ProblemHttpResult Closed(TaskSummary task, string action) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict, title: "Task is closed",
        detail: task.Status == TaskStatuses.Done
            ? $"Task '{task.Id}' was already completed{(task.Outcome is null ? "" : $" with outcome '{task.Outcome}'")} by {task.ClosedBy} at {task.ClosedAt:O}; a completed task cannot be {action}."
            : $"Task '{task.Id}' was cancelled at {task.ClosedAt:O} ({task.Note}); a cancelled task cannot be {action}.",
        extensions: new Dictionary<string, object?> { ["taskStatus"] = task.Status });

    public static ProblemHttpResult NotYours(TaskSummary task, CurrentUser user) => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden, title: "Not your task",
        // Says nothing about whose it is: that is not the caller's to know.
        detail: $"Task '{task.Id}' is neither yours nor your team's; as a CSM{(user.Team is null ? "" : $" in team {user.Team}")} you see your own and your team's tasks.");

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message);
}
