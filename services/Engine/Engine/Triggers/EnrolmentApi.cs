using Playbooks.ServiceDefaults.Security;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Playbooks.Engine.Accounts;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Expressions;
using Playbooks.Engine.Instances;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Triggers;

/// <summary>Manual starts for one account or a filtered set, and snoozing a playbook for an account.</summary>
public static class EnrolmentApi
{
    public static RouteGroupBuilder MapEnrolmentApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/engine/definitions/{id}");
        group.MapPost("/start", StartForAccountsAsync).RequireAuthorization(Access.Design);
        group.MapPost("/snoozes", SnoozeAsync).RequireAuthorization(Access.Design);
        group.MapDelete("/snoozes/{accountId}", WakeAsync).RequireAuthorization(Access.Design);
        return group;
    }

    /// <param name="AccountIds">These accounts; or every account matching <paramref name="OwnerCsm"/>, <paramref name="Segment"/> and <paramref name="Condition"/>.</param>
    public sealed record StartRequest(IReadOnlyList<string>? AccountIds, string? OwnerCsm, string? Segment, string? Condition);

    public sealed record StartReport(int Started, int Skipped, IReadOnlyList<TriggerStarter.Outcome> Outcomes);

    public sealed record SnoozeRequest(string AccountId, DateTimeOffset Until, string? Reason);

    private static async Task<Results<Ok<StartReport>, ProblemHttpResult, ValidationProblem>> StartForAccountsAsync(
        string id, StartRequest request, PlaybookVersions versions, AccountStore accounts, TriggerStarter starter, CancellationToken cancellationToken)
    {
        var playbook = await versions.GetPublishedAsync(id, cancellationToken);
        if (playbook is null) return DefinitionsApi.Problem(404, "Playbook not published", $"'{id}' has no published version; publish it first.");
        if (request.Condition is { Length: > 0 } c && !CompiledExpression.TryCompile(c, out _, out var error))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$.condition"] = [error!] });

        var targets = new List<AccountSnapshot>();
        var missing = new List<string>();
        if (request.AccountIds is { Count: > 0 } ids)
            foreach (var accountId in ids.Distinct())
                if (await accounts.GetAsync(accountId, cancellationToken) is { } account) targets.Add(account); else missing.Add(accountId);
        else
            for (var skip = 0; ; skip += 500)
            {
                var (page, _) = await accounts.ListAsync(request.OwnerCsm, request.Segment, null, skip, 500, cancellationToken);
                targets.AddRange(page);
                if (page.Count < 500) break;
            }
        if (missing.Count > 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$.accountIds"] = [$"Unknown accounts: {string.Join(", ", missing)}."] });

        // A manual start is its own trigger: the condition narrows the set like an event trigger's condition.
        var entry = new TriggerIndex.Entry(playbook, new TriggerDefinition { Kind = "manual", Condition = request.Condition }, -1);
        var key = $"manual:{Guid.CreateVersion7():N}";
        var outcomes = new List<TriggerStarter.Outcome>();
        foreach (var account in targets)
            outcomes.Add(await starter.FireAsync(entry, account, new JsonObject { ["type"] = "manual" }, key, cancellationToken));
        return TypedResults.Ok(new StartReport(outcomes.Count(o => o.Skipped is null), outcomes.Count(o => o.Skipped is not null), outcomes));
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> SnoozeAsync(
        string id, SnoozeRequest request, DefinitionStore definitions, AccountStore accounts, Enrolment enrolment, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await definitions.GetDraftAsync(id, cancellationToken) is null) return DefinitionsApi.Problem(404, "Playbook not found", $"No playbook '{id}'.");
        if (await accounts.GetAsync(request.AccountId, cancellationToken) is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$.accountId"] = [$"No account '{request.AccountId}'."] });
        if (request.Until <= clock.GetUtcNow())
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$.until"] = ["Snooze until a time in the future."] });
        await enrolment.SnoozeAsync(id, request.AccountId, request.Until, request.Reason, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> WakeAsync(string id, string accountId, Enrolment enrolment, CancellationToken cancellationToken) =>
        await enrolment.WakeAsync(id, accountId, cancellationToken)
            ? TypedResults.NoContent()
            : DefinitionsApi.Problem(404, "Not snoozed", $"'{id}' is not snoozed for account '{accountId}'.");
}
