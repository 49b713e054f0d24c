using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Playbooks.ServiceDefaults.Security;

namespace Playbooks.Gateway.SignIn;

/// <summary>
/// <c>/api/auth</c>: how to sign in, who you are, and — in embedded mode only, unless configured — a dev sign-in that
/// issues a token for any user and role without a password, so one person can try every role on their own machine.
/// </summary>
internal static partial class SignInApi
{
    public sealed record DevSignInRequest(string? User, string? Role, string? Team);

    public sealed record SignedIn(string Token, DateTimeOffset ExpiresAt, string User, string Role, string? Team);

    public sealed record Me(string User, string Role, string? Team, DateTimeOffset? ExpiresAt);

    public static void MapSignInApi(this IEndpointRouteBuilder endpoints, AuthOptions auth)
    {
        endpoints.MapGet("/api/auth/options", (DevSignInSwitch devSignIn) => TypedResults.Ok(new { devSignIn = devSignIn.IsOn, authority = auth.Authority, roles = Roles.All }))
            .AllowAnonymous();
        endpoints.MapGet("/api/auth/me", (HttpContext context, Actor actor) => TypedResults.Ok(new Me(actor.Id, actor.Role, actor.Team,
            context.User.FindFirst("exp")?.Value is { } exp ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(exp)) : null))).RequireAuthorization();
        endpoints.MapPost("/api/auth/dev-sign-in", DevSignIn).AllowAnonymous();
    }

    private static Results<Ok<SignedIn>, ValidationProblem, ProblemHttpResult> DevSignIn(DevSignInRequest request, TokenIssuer issuer, DevSignInSwitch devSignIn)
    {
        if (!devSignIn.IsOn)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No dev sign-in here",
                detail: "The dev sign-in is off (distributed mode, a suite reachable from the network, or Playbooks:Auth:DevSignIn=false). Sign in with your identity provider.");
        var errors = new Dictionary<string, string[]>();
        var user = request.User?.Trim().ToLowerInvariant();
        if (user is null || user.Length > 200 || !Email().IsMatch(user)) errors["user"] = ["Sign in as an email address, e.g. aiko@example.com."];
        if (request.Role is null || !Roles.People.Contains(request.Role)) errors["role"] = [$"Choose a role: {string.Join(", ", Roles.People)}."];
        var team = string.IsNullOrWhiteSpace(request.Team) ? null : request.Team.Trim().ToLowerInvariant();
        if (team is { Length: > 100 }) errors["team"] = ["A team name has at most 100 characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(e => e)));

        var issued = issuer.Issue(user!, request.Role!, team);
        return TypedResults.Ok(new SignedIn(issued.Token, issued.ExpiresAt, user!, request.Role!, team));
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Email();
}
