using Playbooks.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Playbooks.Engine.Accounts;
using Playbooks.Engine.Activities;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Execution;

namespace Playbooks.Engine.Simulation;

public static class SimulationApi
{
    public const int MaxDays = 3660;

    /// <summary><c>POST /api/engine/definitions/{id}/simulate</c>: the designer's test run and the playbook scenario tests.</summary>
    public static RouteHandlerBuilder MapSimulationApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/api/engine/definitions/{id}/simulate", SimulateAsync).RequireAuthorization(Access.Design);

    private static async Task<Results<Ok<SimulationResult>, ProblemHttpResult, ValidationProblem>> SimulateAsync(
        string id, SimulationRequest request, DefinitionStore definitions, DefinitionValidator validator, ActivityCatalogue catalogue,
        AccountStore accounts, Simulator simulator, CancellationToken cancellationToken)
    {
        if (request.Days is < 1 or > MaxDays)
            return Invalid("$.days", $"Simulate between 1 and {MaxDays} days.");
        var definition = request.Definition
            ?? (request.Version is { } version ? await definitions.GetVersionAsync(id, version, cancellationToken) : await definitions.GetDraftAsync(id, cancellationToken));
        if (definition is null)
            return DefinitionsApi.Problem(404, "Playbook not found", $"No playbook '{id}'{(request.Version is { } v ? $" version {v}" : "")}.");
        var problems = validator.Validate(definition);
        if (problems.Count > 0) return DefinitionsApi.Invalid(problems, "Fix the playbook's problems before a test run.");

        var account = request.Account ?? (request.AccountId is { } accountId ? await accounts.GetAsync(accountId, cancellationToken) : null);
        if (account is null)
            return Invalid("$.accountId", request.AccountId is null ? "Choose an account (accountId) or describe one (account)." : $"No account '{request.AccountId}'.");
        try
        {
            foreach (var scripted in request.Events) ActivityContext.ParseDuration(scripted.After);
            foreach (var scripted in request.TaskOutcomes) ActivityContext.ParseDuration(scripted.After);
        }
        catch (Expressions.ExpressionException error)
        {
            return Invalid("$.events", error.Message);
        }
        var playbook = new CompiledPlaybook(definition, catalogue);
        return TypedResults.Ok(await simulator.RunAsync(playbook, account with { Contacts = account.Contacts ?? [] }, request));
    }

    private static ValidationProblem Invalid(string path, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [path] = [message] }, title: "Invalid simulation request");
}
