using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Playbooks.ServiceDefaults.Security;

/// <summary>
/// Who is making a request, from their verified token: the id audit entries and task lists use (an email for people,
/// <c>apikey:{id}</c> for machines), their role and, for CSMs, their team. Endpoints take it as a parameter.
/// </summary>
public sealed record Actor(string Id, string Role, string? Team)
{
    public const string Anonymous = "anonymous";

    private static readonly string[] Precedence = [Roles.Admin, Roles.CsOps, Roles.Sre, Roles.Csm, Roles.Integration];

    public bool IsAdmin => Role == Roles.Admin;

    public static Actor From(ClaimsPrincipal user, AuthOptions options)
    {
        if (user.Identity?.IsAuthenticated != true) return new Actor(Anonymous, "", null);
        // An email the provider says it did not verify could be anyone's, so it does not name the person.
        var email = user.FindFirstValue("email_verified") is "false" or "False" ? null : user.FindFirstValue("email");
        var id = email ?? user.FindFirstValue("sub") ?? Anonymous;
        // A token may carry several roles; the one that may do most is what the person acts as.
        var roles = user.FindAll(options.RoleClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var role = Precedence.FirstOrDefault(roles.Contains) ?? "";
        var team = user.FindFirstValue(options.TeamClaim);
        return new Actor(id.Trim().ToLowerInvariant(), role, string.IsNullOrWhiteSpace(team) ? null : team.Trim().ToLowerInvariant());
    }

    public static ValueTask<Actor?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<Actor?>(From(context.User, context.RequestServices.GetRequiredService<AuthOptions>()));
}
