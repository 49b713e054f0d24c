using Playbooks.ServiceDefaults.Security;
using System.Net.Mail;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Instances;
using Playbooks.Engine.Storage;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Accounts;

public static class AccountsApi
{
    public static RouteGroupBuilder MapAccountsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/engine/accounts");
        group.MapPost("/", UpsertAsync).RequireAuthorization(Access.FeedAccounts);
        group.MapPost("/import", ImportAsync).Accepts<string>("text/csv").RequireAuthorization(Access.FeedAccounts);
        group.MapGet("/", ListAsync).RequireAuthorization(Access.ReadAccounts);
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Access.ReadAccounts);
        return group;
    }

    /// <summary>Upserts one account (an object) or many (an array); nothing is saved if any is invalid.</summary>
    private static async Task<Results<Ok<object>, ValidationProblem>> UpsertAsync(JsonElement body, AccountStore store, CancellationToken cancellationToken)
    {
        List<AccountSnapshot> accounts;
        try
        {
            accounts = body.ValueKind == JsonValueKind.Array
                ? body.Deserialize<List<AccountSnapshot>>(EngineJson.Options)!
                : [body.Deserialize<AccountSnapshot>(EngineJson.Options)!];
        }
        catch (JsonException error)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [error.Path ?? "$"] = [error.Message] }, title: "Malformed account");
        }
        accounts = accounts.Select(a => a with { Contacts = a.Contacts ?? [] }).ToList();
        var problems = accounts.SelectMany((account, i) => Check(account).Select(p => (Path: body.ValueKind == JsonValueKind.Array ? $"$[{i}].{p.Field}" : $"$.{p.Field}", p.Message))).ToList();
        if (problems.Count > 0)
            return TypedResults.ValidationProblem(problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()), title: "Invalid account");
        await store.UpsertAsync(accounts, Guid.CreateVersion7().ToString("N"), cancellationToken);
        return TypedResults.Ok<object>(new { upserted = accounts.Count });
    }

    /// <summary>A CSV export of accounts: good rows are upserted, bad rows come back with the reasons.</summary>
    private static async Task<Results<Ok<AccountImport.Report>, ValidationProblem>> ImportAsync(HttpRequest request, AccountStore store, CancellationToken cancellationToken)
    {
        if (request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) != true)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["Content-Type"] = ["Send the accounts as text/csv, the first row naming the columns."] }, title: "Not CSV");
        using var reader = new StreamReader(request.Body);
        var (accounts, rejected, headerProblem) = AccountImport.Parse(new StringReader(await reader.ReadToEndAsync(cancellationToken)));
        if (headerProblem is not null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["header"] = [headerProblem] }, title: "Unreadable CSV");
        if (accounts.Count > 0) await store.UpsertAsync(accounts, Guid.CreateVersion7().ToString("N"), cancellationToken);
        return TypedResults.Ok(new AccountImport.Report(accounts.Count, rejected));
    }

    internal static IEnumerable<(string Field, string Message)> Check(AccountSnapshot account)
    {
        if (string.IsNullOrWhiteSpace(account.Id)) yield return ("id", "Give the account an id (your CRM's id works).");
        if (string.IsNullOrWhiteSpace(account.Name)) yield return ("name", "Give the account a name.");
        if (account.HealthScore is < 0 or > 100) yield return ("healthScore", "A health score is between 0 and 100.");
        if (account.TimeZone is { Length: > 0 } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)) yield return ("timeZone", $"Unknown time zone '{zone}'; use an IANA id such as Asia/Tokyo.");
        var contacts = account.Contacts ?? [];
        for (var i = 0; i < contacts.Count; i++)
            if (!MailAddress.TryCreate(contacts[i].Email, out _)) yield return ($"contacts[{i}].email", $"'{contacts[i].Email}' is not an email address.");
    }

    private static async Task<Ok<Page<AccountSnapshot>>> ListAsync(AccountStore store, string? ownerCsm, string? segment, string? search, int? skip, int? take, CancellationToken cancellationToken)
    {
        var (s, t) = (Math.Max(0, skip ?? 0), Math.Clamp(take ?? 50, 1, 500));
        var (items, total) = await store.ListAsync(ownerCsm, segment, search, s, t, cancellationToken);
        return TypedResults.Ok(new Page<AccountSnapshot>(items, total, s, t));
    }

    private static async Task<Results<Ok<AccountSnapshot>, ProblemHttpResult>> GetAsync(string id, AccountStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } account
            ? TypedResults.Ok(account)
            : DefinitionsApi.Problem(StatusCodes.Status404NotFound, "Account not found", $"No account '{id}'.");
}
