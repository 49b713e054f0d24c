using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Playbooks.ServiceDefaults.Security;
using Playbooks.Storage.Audit;

namespace Playbooks.Gateway.ApiKeys;

/// <summary><c>/api/auth/keys</c>: admins create, list and revoke the keys machine callers (the CRM) use.</summary>
internal static class ApiKeysApi
{
    public const int MaxNameLength = 100;

    public sealed record CreateRequest(string? Name, string? Role);

    public static void MapApiKeysApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/auth/keys").RequireAuthorization(Access.Administer);
        group.MapGet("/", async (ApiKeyStore keys, CancellationToken cancellationToken) => TypedResults.Ok(await keys.ListAsync(cancellationToken)));
        group.MapPost("/", CreateAsync);
        group.MapDelete("/{id}", RevokeAsync);
    }

    private static async Task<Results<Created<CreatedApiKey>, ValidationProblem>> CreateAsync(
        CreateRequest request, Actor actor, ApiKeyStore keys, AuditTrail audit, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
            errors["name"] = [$"Name the key after its caller (1 to {MaxNameLength} characters), e.g. \"Salesforce sync\"."];
        if (request.Role is null || !Roles.All.Contains(request.Role))
            errors["role"] = [$"Choose the key's role: one of {string.Join(", ", Roles.All)} ({Roles.Integration} lets it push events and accounts, nothing else)."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(e => e)));

        var created = await keys.CreateAsync(name!, request.Role!, actor.Id, cancellationToken);
        await audit.RecordAsync(actor, "apikey.created", $"apikey:{created.Id}", null,
            new { created.Id, created.Name, created.Role, created.Prefix }, cancellationToken);
        return TypedResults.Created($"/api/auth/keys/{created.Id}", created);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, Actor actor, ApiKeyStore keys, AuditTrail audit, CancellationToken cancellationToken)
    {
        var before = await keys.RevokeAsync(id, cancellationToken);
        if (before is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "API key not found", detail: $"No API key '{id}'. GET /api/auth/keys lists them.");
        if (before.RevokedAt is null)
            await audit.RecordAsync(actor, "apikey.revoked", $"apikey:{id}", before, (await keys.FindAsync(id, cancellationToken))!, cancellationToken);
        return TypedResults.NoContent();
    }
}
