using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Playbooks.Tasks.Api;
using Playbooks.Tasks.Storage;

namespace Playbooks.Tasks.Actions;

/// <summary>
/// <c>POST /api/tasks/{id}/complete</c>: records the outcome the playbook branches on and publishes <c>task.completed</c>.
/// The outcome must be one the task allows (matched case-blind, stored as the task spells it).
/// </summary>
public static class CompleteTask
{
    public sealed record Request(string? Outcome, string? Note);

    public static async Task<Results<Ok<TaskDetail>, ProblemHttpResult, ValidationProblem>> HandleAsync(
        string id, Request request, CurrentUser user, ITaskStore store, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(id, cancellationToken);
        if (current is null) return TaskProblems.NotFound(id);
        if (!user.CanSee(current.Task)) return TaskProblems.NotYours(current.Task, user);
        if (!TaskStatuses.IsActive(current.Task.Status)) return TaskProblems.Closed(current.Task, "completed again");
        if (TextLimits.Check("note", request.Note) is { } tooLong) return tooLong;

        var allowed = current.Task.Outcomes;
        var outcome = allowed.FirstOrDefault(o => string.Equals(o, request.Outcome?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (allowed.Count > 0 && outcome is null) return OutcomeNotAllowed(request.Outcome, allowed);
        if (allowed.Count == 0 && !string.IsNullOrWhiteSpace(request.Outcome))
            return TaskProblems.Invalid("outcome", $"This task takes no outcome, so '{request.Outcome}' cannot be recorded: complete it without one.");

        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        var completed = await store.CompleteAsync(id, outcome, note, user.Id, cancellationToken);
        var after = (await store.GetAsync(id, cancellationToken))!;
        return completed is null ? TaskProblems.Closed(after.Task, "completed again") : TypedResults.Ok(after);
    }

    private static ValidationProblem OutcomeNotAllowed(string? outcome, IReadOnlyList<string> allowed)
    {
        var choices = string.Join(", ", allowed.Select(o => $"'{o}'"));
        var message = string.IsNullOrWhiteSpace(outcome)
            ? $"Choose an outcome: this task allows {choices}."
            : $"'{outcome}' is not an outcome this task allows. Choose one of {choices}.";
        return TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { ["outcome"] = [message] }, detail: message,
            extensions: new Dictionary<string, object?> { ["allowedOutcomes"] = allowed });
    }
}
