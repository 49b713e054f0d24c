using Playbooks.ServiceDefaults.Security;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Storage;
using Playbooks.Storage;

namespace Playbooks.Engine.Triggers;

public static partial class EventsApi
{
    public const int MaxBatch = 10_000;

    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/engine/events");
        group.MapPost("/", IngestAsync).RequireAuthorization(Access.FeedAccounts);
        group.MapGet("/{id}", StatusAsync).RequireAuthorization(Access.FeedAccounts);
        return group;
    }

    /// <summary>
    /// Takes one event or a batch. Every event is checked first and nothing is stored if any is wrong; stored events
    /// are durable when 202 returns. The same id again is accepted and counted as a duplicate, with no second effect.
    /// </summary>
    private static async Task<Results<Accepted<IngestResult>, ValidationProblem>> IngestAsync(
        JsonElement body, AccountEventLog log, CancellationToken cancellationToken)
    {
        List<AccountEvent> events;
        try
        {
            events = body.ValueKind == JsonValueKind.Array
                ? body.Deserialize<List<AccountEvent>>(EngineJson.Options)!
                : [body.Deserialize<AccountEvent>(EngineJson.Options)!];
        }
        catch (JsonException error)
        {
            return Invalid([(error.Path ?? "$", $"{error.Message} An event is {{ id, type, accountId, occurredAt, data }}.")]);
        }
        if (events.Count > MaxBatch) return Invalid([("$", $"At most {MaxBatch:N0} events per request; send {events.Count:N0} in several batches.")]);

        var problems = new List<(string Path, string Message)>();
        var batch = body.ValueKind == JsonValueKind.Array;
        var seen = new HashSet<string>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var path = batch ? $"$[{i}]" : "$";
            if (string.IsNullOrWhiteSpace(e.Id) || e.Id.Length > 200) problems.Add(($"{path}.id", "Give each event your own unique id (at most 200 characters); it makes resending safe."));
            else if (!seen.Add(e.Id)) problems.Add(($"{path}.id", $"Id '{e.Id}' appears twice in this batch."));
            if (!EventTypePattern().IsMatch(e.Type ?? "")) problems.Add(($"{path}.type", $"'{e.Type}' is not an event type; use dotted lowercase names such as usage.dropped."));
            // The engine records an account's edits under this type, in a shape of its own: one sent from outside could
            // never be handled, and was retried for ever, holding its accounts' later events back.
            else if (e.Type == AccountChanges.EventType)
                problems.Add(($"{path}.type", $"'{AccountChanges.EventType}' is the engine's own record of an account's edits; change the account with POST /api/engine/accounts, or send what happened under a type of your own, such as crm.account_updated."));
            if (e.AccountId is not null && string.IsNullOrWhiteSpace(e.AccountId))
                problems.Add(($"{path}.accountId", "accountId is blank; name the account, or leave accountId out and name several in data.accountIds."));
            else if (e.AccountId is null && !NamesAccounts(e.Data))
                problems.Add(($"{path}.accountId", "Name the account (accountId), or several in data.accountIds (a list of account ids)."));
            if (e.Data is { } d && d.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)) problems.Add(($"{path}.data", "data must be a JSON object."));
        }
        if (problems.Count > 0) return Invalid(problems);

        var appended = await log.AppendAsync(events, cancellationToken);
        if (appended.UnknownAccounts.Count > 0)
        {
            var unknown = appended.UnknownAccounts.ToHashSet(StringComparer.Ordinal);
            return Invalid(events.Select((e, i) => (e, i))
                .Where(x => x.e.AccountId is { Length: > 0 } id && unknown.Contains(id))
                .Select(x => ((batch ? $"$[{x.i}]" : "$") + ".accountId", $"No account '{x.e.AccountId}'; add it with POST /api/engine/accounts first.")));
        }
        return TypedResults.Accepted((string?)null, new IngestResult(appended.Added, events.Count - appended.Added));
    }

    public sealed record IngestResult(int Accepted, int Duplicates);

    /// <summary>An event for several accounts (an incident) names them in data.accountIds: a non-empty list of ids.</summary>
    private static bool NamesAccounts(JsonElement? data) =>
        data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("accountIds", out var ids) && ids.ValueKind == JsonValueKind.Array
        && ids.GetArrayLength() > 0 && ids.EnumerateArray().All(id => id.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(id.GetString()));

    private static async Task<Results<Ok<object>, ProblemHttpResult>> StatusAsync(string id, AccountEventLog log, CancellationToken cancellationToken) =>
        await log.StatusAsync(id, cancellationToken) is { } status
            ? TypedResults.Ok<object>(new { id, status = status.Status, processedAt = status.ProcessedAt is { } at ? EngineJson.At(at) : (DateTimeOffset?)null })
            : DefinitionsApi.Problem(StatusCodes.Status404NotFound, "Event not found", $"No event '{id}' was received.");

    private static ValidationProblem Invalid(IEnumerable<(string Path, string Message)> problems) =>
        TypedResults.ValidationProblem(problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
            title: "Invalid account events", detail: "Nothing was stored; fix these and send the request again.");

    [GeneratedRegex("^[a-z0-9_]+(\\.[a-z0-9_]+)+$")]
    private static partial Regex EventTypePattern();
}
