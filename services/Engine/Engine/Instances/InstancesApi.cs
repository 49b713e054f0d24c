using Playbooks.ServiceDefaults.Security;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Playbooks.Engine.Accounts;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Storage;
using Playbooks.Storage.Audit;

namespace Playbooks.Engine.Instances;

public static class InstancesApi
{
    public static RouteGroupBuilder MapInstancesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/engine/instances");
        group.MapGet("/", ListAsync).RequireAuthorization(Access.ReadRuns);
        group.MapPost("/", StartAsync).RequireAuthorization(Access.Design);
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Access.ReadRuns);
        group.MapPost("/{id}/cancel", CancelAsync).RequireAuthorization(Access.Operate);
        group.MapPost("/{id}/retry", RetryAsync).RequireAuthorization(Access.Operate);
        return group;
    }

    /// <summary>A person starts a playbook for one account (the manual trigger).</summary>
    public sealed record StartRequest(string DefinitionId, string AccountId, JsonObject? Variables);

    public sealed record CancelRequest(string? Reason);

    public sealed record InstanceView(
        string Id, string DefinitionId, int Version, string AccountId, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
        DateTimeOffset? EndedAt, string? EndReason, InstanceFault? Fault, JsonObject Variables, IReadOnlyList<WaitView> Waits,
        IReadOnlyList<JournalView> Journal);

    public sealed record WaitView(string ActivityId, string Kind, string Key, DateTimeOffset? DueAt);

    public sealed record JournalView(long Seq, string ActivityId, string ActivityType, string Status, string? Outcome, JsonNode? Inputs, JsonNode? Output,
        string? Error, DateTimeOffset StartedAt, DateTimeOffset EndedAt);

    private static async Task<Ok<Page<InstanceSummary>>> ListAsync(InstanceStore store, string? definitionId, int? version, string? accountId, string? status,
        int? skip, int? take, CancellationToken cancellationToken)
    {
        var query = new InstanceQuery(definitionId, version, accountId, status?.ToLowerInvariant(), Math.Max(0, skip ?? 0), Math.Clamp(take ?? 50, 1, 500));
        var (items, total) = await store.ListAsync(query, cancellationToken);
        return TypedResults.Ok(new Page<InstanceSummary>(items, total, query.Skip, query.Take));
    }

    private static async Task<Results<Created<InstanceView>, ProblemHttpResult>> StartAsync(
        StartRequest request, PlaybookVersions versions, AccountStore accounts, Triggers.Enrolment enrolment, InstanceRuntime runtime, InstanceStore store,
        CancellationToken cancellationToken)
    {
        var playbook = await versions.GetPublishedAsync(request.DefinitionId, cancellationToken);
        if (playbook is null) return DefinitionsApi.Problem(404, "Playbook not published", $"'{request.DefinitionId}' has no published version; publish it first.");
        var account = await accounts.GetAsync(request.AccountId, cancellationToken);
        if (account is null) return DefinitionsApi.Problem(404, "Account not found", $"No account '{request.AccountId}'; add it with POST /api/engine/accounts.");
        if (await enrolment.RefusalAsync(playbook, account.Id, cancellationToken) is { } refusal)
            return DefinitionsApi.Problem(409, "Not enrolled", refusal);
        var instance = await runtime.StartAsync(playbook, account, null, request.Variables, null, cancellationToken);
        return TypedResults.Created($"/api/engine/instances/{instance!.Id}", await ViewAsync(instance, store, cancellationToken));
    }

    private static async Task<Results<Ok<InstanceView>, ProblemHttpResult>> GetAsync(string id, InstanceStore store, CancellationToken cancellationToken)
    {
        var instance = await store.GetAsync(id, cancellationToken);
        return instance is null ? NotFound(id) : TypedResults.Ok(await ViewAsync(instance, store, cancellationToken));
    }

    private static async Task<Results<Ok<InstanceView>, ProblemHttpResult>> CancelAsync(
        string id, CancelRequest? request, Actor actor, AuditTrail audit, InstanceRuntime runtime, InstanceStore store, CancellationToken cancellationToken)
    {
        var before = await store.GetAsync(id, cancellationToken);
        if (before is null) return NotFound(id);
        var reason = request?.Reason ?? $"Cancelled by {actor.Id}";
        var instance = await runtime.EndAsync(id, InstanceStatus.Cancelled, reason, cancellationToken);
        if (instance is null) return NotFound(id);
        if (instance.Status != before.Status)
            await audit.RecordAsync(actor, "instance.cancelled", Subject(id), new { status = Status(before) }, new { status = Status(instance), reason }, cancellationToken);
        return TypedResults.Ok(await ViewAsync(instance, store, cancellationToken));
    }

    private static async Task<Results<Ok<InstanceView>, ProblemHttpResult>> RetryAsync(
        string id, Actor actor, AuditTrail audit, InstanceRuntime runtime, InstanceStore store, CancellationToken cancellationToken)
    {
        var before = await store.GetAsync(id, cancellationToken);
        if (before is null) return NotFound(id);
        if (before.Status != InstanceStatus.Faulted)
            return DefinitionsApi.Problem(409, "Nothing to retry", $"Instance '{id}' is {before.Status.ToString().ToLowerInvariant()}, not faulted.");
        var instance = await runtime.RetryAsync(id, cancellationToken);
        await audit.RecordAsync(actor, "instance.retried", Subject(id), new { status = Status(before), fault = before.Fault }, new { status = Status(instance!) }, cancellationToken);
        return TypedResults.Ok(await ViewAsync(instance!, store, cancellationToken));
    }

    private static async Task<InstanceView> ViewAsync(InstanceState instance, InstanceStore store, CancellationToken cancellationToken)
    {
        var journal = await store.JournalAsync(instance.Id, cancellationToken);
        return new InstanceView(instance.Id, instance.DefinitionId, instance.Version, instance.AccountId, instance.Status.ToString().ToLowerInvariant(),
            instance.CreatedAt, instance.UpdatedAt, instance.EndedAt, instance.EndReason, instance.Fault, instance.Variables,
            instance.Bookmarks.Select(b => new WaitView(b.ActivityId, b.Kind, b.Key, b.DueAt)).ToList(),
            journal.Select(j => new JournalView(j.Seq, j.ActivityId, j.ActivityType, j.Status, j.Outcome, Parse(j.Inputs), Parse(j.Output), j.Error,
                EngineJson.At(j.StartedAt), EngineJson.At(j.EndedAt))).ToList());
    }

    private static string Subject(string instanceId) => $"instance:{instanceId}";

    private static string Status(InstanceState instance) => instance.Status.ToString().ToLowerInvariant();

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);

    private static ProblemHttpResult NotFound(string id) => DefinitionsApi.Problem(404, "Instance not found", $"No instance '{id}'.");
}

public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Skip, int Take);
