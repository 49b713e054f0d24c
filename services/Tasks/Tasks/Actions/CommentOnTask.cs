using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Playbooks.Tasks.Api;
using Playbooks.Tasks.Storage;

namespace Playbooks.Tasks.Actions;

/// <summary><c>POST /api/tasks/{id}/comments</c>: a note for the people working the task; closed tasks take comments too.</summary>
public static class CommentOnTask
{
    public sealed record Request(string? Text);

    public static async Task<Results<Created<TaskComment>, ProblemHttpResult, ValidationProblem>> HandleAsync(
        string id, Request request, CurrentUser user, ITaskStore store, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(id, cancellationToken);
        if (current is null) return TaskProblems.NotFound(id);
        if (!user.CanSee(current.Task)) return TaskProblems.NotYours(current.Task, user);
        if (string.IsNullOrWhiteSpace(request.Text)) return TaskProblems.Invalid("text", "Write the comment in \"text\"; it is empty.");
        if (TextLimits.Check("text", request.Text) is { } tooLong) return tooLong;

        var comment = await store.AddCommentAsync(id, request.Text.Trim(), user.Id, cancellationToken);
        return TypedResults.Created($"{TasksApi.Prefix}/{id}", comment);
    }
}
