using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Playbooks.ServiceDefaults.Security;

namespace Playbooks.Storage.Audit;

/// <summary><c>GET {prefix}/audit</c>: a service's own audit log, for admins. The gateway merges all of them at <c>/api/audit</c>.</summary>
public static class AuditApi
{
    public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries);

    public static IServiceCollection AddAuditTrail(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AuditTrail>();
        return services;
    }

    public static RouteHandlerBuilder MapAuditLog(this IEndpointRouteBuilder endpoints, string prefix) =>
        endpoints.MapGet($"{prefix}/audit", async (string? action, string? actor, string? subject, DateTimeOffset? from, DateTimeOffset? to, int? limit,
                AuditTrail audit, CancellationToken cancellationToken) =>
            limit is < 1 or > AuditTrail.MaxLimit
                ? Results.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"Ask for 1 to {AuditTrail.MaxLimit} entries."] })
                : TypedResults.Ok(new AuditPage(await audit.QueryAsync(new AuditQuery(Blank(action), Blank(actor), Blank(subject), from, to, limit ?? 100), cancellationToken))))
            .RequireAuthorization(Access.Administer);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
