using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Playbooks.Notifications.Channels.InApp;
using Playbooks.Notifications.Recipients;
using Playbooks.ServiceDefaults.Security;

namespace Playbooks.Notifications.Api;

/// <summary>
/// <c>/api/notifications/inbox</c>: the signed-in person's in-app notifications (user ids are email addresses). Only an
/// admin may open someone else's with <c>?user=</c>.
/// </summary>
public static class InboxApi
{
    public static RouteGroupBuilder MapInboxApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/inbox").WithTags("Inbox");
        group.MapGet("/", ListAsync);
        group.MapPost("/{id}/read", MarkReadAsync);
        return group;
    }

    private static async Task<Results<Ok<InboxView>, ValidationProblem, ProblemHttpResult>> ListAsync(
        Actor actor, InboxStore inbox, CancellationToken cancellationToken, string? user = null, bool unread = false, int limit = 50)
    {
        user ??= actor.Id;
        if (UserProblem(user) is { } problem) return problem;
        if (NotTheirs(actor, user) is { } forbidden) return forbidden;
        if (limit is < 1 or > 200) return ApiProblems.Invalid("limit", "Ask for 1 to 200 messages.", "Invalid inbox query");
        var messages = await inbox.ListAsync(user!, unread, limit, cancellationToken);
        return TypedResults.Ok(new InboxView(user!.ToLowerInvariant(), await inbox.UnreadCountAsync(user!, cancellationToken), messages));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> MarkReadAsync(
        string id, Actor actor, InboxStore inbox, TimeProvider time, CancellationToken cancellationToken, string? user = null)
    {
        user ??= actor.Id;
        if (UserProblem(user) is { } problem) return problem;
        if (NotTheirs(actor, user) is { } forbidden) return forbidden;
        return await inbox.MarkReadAsync(id, user!, time.GetUtcNow(), cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"{user} has no notification '{id}'.");
    }

    private static ValidationProblem? UserProblem(string? user) =>
        string.IsNullOrWhiteSpace(user) ? ApiProblems.Invalid("user", "Say whose inbox: ?user=jane@acme.example (user ids are email addresses).", "Missing user")
        : !EmailAddresses.IsValid(user) ? ApiProblems.Invalid("user", $"User ids are email addresses; {EmailAddresses.Invalid(user)}", "Invalid user")
        : null;

    private static ProblemHttpResult? NotTheirs(Actor actor, string user) =>
        actor.IsAdmin || string.Equals(actor.Id, user.Trim(), StringComparison.OrdinalIgnoreCase)
            ? null
            : TypedResults.Problem($"This is {user}'s inbox; you are signed in as {actor.Id}.", statusCode: StatusCodes.Status403Forbidden, title: "Not your inbox");

    public sealed record InboxView(string User, int Unread, IReadOnlyList<InboxMessage> Messages);
}
