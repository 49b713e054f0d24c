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

    public bool IsAdmin => Role == Roles.Admin;

    public static Actor From(ClaimsPrincipal user, AuthOptions options)
    {
        if (user.Identity?.IsAuthenticated != true) return new Actor(Anonymous, "", null);
        var id = user.FindFirstValue("email") ?? user.FindFirstValue("preferred_username") ?? user.FindFirstValue("sub") ?? Anonymous;
        // A token may carry several roles; the broadest one is what the person acts as.
        var roles = user.FindAll(options.RoleClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var role = Roles.All.FirstOrDefault(r => r == Roles.Admin && roles.Contains(r)) ?? Roles.All.FirstOrDefault(roles.Contains) ?? "";
        var team = user.FindFirstValue(options.TeamClaim);
        return new Actor(id.Trim().ToLowerInvariant(), role, string.IsNullOrWhiteSpace(team) ? null : team.Trim().ToLowerInvariant());
    }

    public static ValueTask<Actor?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<Actor?>(From(context.User, context.RequestServices.GetRequiredService<AuthOptions>()));
}
