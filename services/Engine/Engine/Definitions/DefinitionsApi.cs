using Playbooks.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Playbooks.Engine.Triggers;
using Playbooks.Storage.Audit;

namespace Playbooks.Engine.Definitions;

public static class DefinitionsApi
{
    public static RouteGroupBuilder MapDefinitionsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/engine/definitions");
        group.MapGet("/", ListAsync).RequireAuthorization(Access.ReadPlaybooks);
        group.MapPost("/", CreateAsync).RequireAuthorization(Access.Design);
        group.MapPost("/validate", (PlaybookDefinition definition, DefinitionValidator validator) => TypedResults.Ok(new { problems = validator.Validate(definition) })).RequireAuthorization(Access.Design);
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Access.ReadPlaybooks);
        group.MapPut("/{id}", UpdateAsync).RequireAuthorization(Access.Design);
        group.MapPost("/{id}/publish", PublishAsync).RequireAuthorization(Access.Design);
        group.MapPost("/{id}/unpublish", UnpublishAsync).RequireAuthorization(Access.Design);
        group.MapPost("/{id}/archive", ArchiveAsync).RequireAuthorization(Access.Design);
        group.MapPost("/{id}/duplicate", DuplicateAsync).RequireAuthorization(Access.Design);
        group.MapGet("/{id}/versions", VersionsAsync).RequireAuthorization(Access.ReadPlaybooks);
        group.MapGet("/{id}/diff", DiffAsync).RequireAuthorization(Access.ReadPlaybooks);
        return group;
    }

    public sealed record DefinitionView(PlaybookDefinition Definition, IReadOnlyList<DefinitionProblem> Problems);

    public sealed record PublishRequest(string? Note);

    public sealed record DuplicateRequest(string DefinitionId, string? Name);

    private static async Task<Ok<IReadOnlyList<DefinitionSummary>>> ListAsync(DefinitionStore store, bool? includeArchived, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(includeArchived ?? false, cancellationToken));

    private static async Task<Results<Created<DefinitionView>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        PlaybookDefinition definition, Actor actor, AuditTrail audit, DefinitionStore store, DefinitionValidator validator, CancellationToken cancellationToken)
    {
        var problems = validator.Validate(definition);
        if (problems.FirstOrDefault(p => p.Path == "$.definitionId") is { } idProblem) return Invalid([idProblem]);
        if (!await store.CreateAsync(definition, cancellationToken))
            return Problem(StatusCodes.Status409Conflict, "Playbook exists",
                $"A playbook with id '{definition.DefinitionId}' exists; update it with PUT /api/engine/definitions/{definition.DefinitionId} or choose another id.");
        await audit.RecordAsync(actor, "definition.created", Subject(definition.DefinitionId), null, definition with { Version = null }, cancellationToken);
        return TypedResults.Created($"/api/engine/definitions/{definition.DefinitionId}", new DefinitionView(definition with { Version = null }, problems));
    }

    private static async Task<Results<Ok<DefinitionView>, ProblemHttpResult, ValidationProblem>> UpdateAsync(
        string id, PlaybookDefinition definition, Actor actor, AuditTrail audit, DefinitionStore store, DefinitionValidator validator, CancellationToken cancellationToken)
    {
        if (definition.DefinitionId != id)
            return Invalid([new DefinitionProblem("$.definitionId", $"The body's definitionId '{definition.DefinitionId}' differs from the URL's '{id}'.")]);
        var before = await store.GetDraftAsync(id, cancellationToken);
        if (before is null || !await store.UpdateDraftAsync(definition, cancellationToken)) return NotFound(id);
        await audit.RecordAsync(actor, "definition.saved", Subject(id), before with { Version = null }, definition with { Version = null }, cancellationToken);
        return TypedResults.Ok(new DefinitionView(definition with { Version = null }, validator.Validate(definition)));
    }

    private static async Task<Results<Ok<DefinitionView>, ProblemHttpResult>> GetAsync(
        string id, int? version, DefinitionStore store, DefinitionValidator validator, CancellationToken cancellationToken)
    {
        var definition = version is { } v
            ? await store.GetVersionAsync(id, v, cancellationToken)
            : await store.GetDraftAsync(id, cancellationToken);
        return definition is null
            ? NotFound(id, version)
            : TypedResults.Ok(new DefinitionView(definition, version is null ? validator.Validate(definition) : []));
    }

    private static async Task<Results<Ok<DefinitionVersionInfo>, ProblemHttpResult, ValidationProblem>> PublishAsync(
        string id, PublishRequest? request, Actor actor, AuditTrail audit, DefinitionStore store, DefinitionValidator validator, PlaybookPublication publication,
        CancellationToken cancellationToken)
    {
        var draft = await store.GetDraftAsync(id, cancellationToken);
        if (draft is null) return NotFound(id);
        var problems = validator.Validate(draft);
        if (problems.Count > 0) return Invalid(problems, "The draft has problems; fix them before publishing.");
        var version = await store.PublishAsync(draft, request?.Note, cancellationToken);
        await publication.ChangedAsync(id, cancellationToken);
        var published = (await store.ListVersionsAsync(id, cancellationToken)).First(v => v.Version == version);
        await audit.RecordAsync(actor, "definition.published", Subject(id), null, published, cancellationToken);
        return TypedResults.Ok(published);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> UnpublishAsync(
        string id, Actor actor, AuditTrail audit, DefinitionStore store, PlaybookPublication publication, CancellationToken cancellationToken)
    {
        if (!await store.UnpublishAsync(id, cancellationToken)) return NotFound(id);
        await audit.RecordAsync(actor, "definition.unpublished", Subject(id), null, null, cancellationToken);
        await publication.ChangedAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ArchiveAsync(
        string id, Actor actor, AuditTrail audit, DefinitionStore store, PlaybookPublication publication, CancellationToken cancellationToken)
    {
        if (!await store.ArchiveAsync(id, cancellationToken)) return NotFound(id);
        await audit.RecordAsync(actor, "definition.archived", Subject(id), null, null, cancellationToken);
        await publication.ChangedAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<DefinitionView>, ProblemHttpResult, ValidationProblem>> DuplicateAsync(
        string id, DuplicateRequest request, Actor actor, AuditTrail audit, DefinitionStore store, DefinitionValidator validator, CancellationToken cancellationToken)
    {
        var draft = await store.GetDraftAsync(id, cancellationToken);
        if (draft is null) return NotFound(id);
        var copy = draft with { DefinitionId = request.DefinitionId, Name = request.Name ?? $"{draft.Name} (copy)", Version = null };
        return await CreateAsync(copy, actor, audit, store, validator, cancellationToken) switch
        {
            { Result: Created<DefinitionView> created } => created,
            { Result: ProblemHttpResult problem } => problem,
            { Result: ValidationProblem invalid } => invalid,
            _ => throw new InvalidOperationException(),
        };
    }

    private static async Task<Results<Ok<IReadOnlyList<DefinitionVersionInfo>>, ProblemHttpResult>> VersionsAsync(string id, DefinitionStore store, CancellationToken cancellationToken)
    {
        if (await store.GetDraftAsync(id, cancellationToken) is null) return NotFound(id);
        return TypedResults.Ok(await store.ListVersionsAsync(id, cancellationToken));
    }

    /// <summary>Differences from version <paramref name="from"/> to version <paramref name="to"/> (or to the draft when absent).</summary>
    private static async Task<Results<Ok<IReadOnlyList<DefinitionDiff.Change>>, ProblemHttpResult>> DiffAsync(
        string id, int from, int? to, DefinitionStore store, CancellationToken cancellationToken)
    {
        var before = await store.GetVersionAsync(id, from, cancellationToken);
        if (before is null) return NotFound(id, from);
        var after = to is { } v ? await store.GetVersionAsync(id, v, cancellationToken) : await store.GetDraftAsync(id, cancellationToken);
        if (after is null) return NotFound(id, to);
        return TypedResults.Ok(DefinitionDiff.Between(before, after));
    }

    private static string Subject(string definitionId) => $"definition:{definitionId}";

    internal static ValidationProblem Invalid(IReadOnlyList<DefinitionProblem> problems, string? detail = null) =>
        TypedResults.ValidationProblem(
            problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
            detail: detail ?? "The playbook definition has problems.", title: "Invalid playbook definition");

    private static ProblemHttpResult NotFound(string id, int? version = null) => Problem(StatusCodes.Status404NotFound,
        "Playbook not found", version is null ? $"No playbook '{id}'." : $"Playbook '{id}' has no version {version}.");

    /// <summary>A problem details answer, served as application/problem+json with the suite's traceId like every other error.</summary>
    internal static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(detail, statusCode: status, title: title);
}
