using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Playbooks.Metrics.Kpis;

namespace Playbooks.Metrics.Api;

/// <summary>The errors the metrics API answers, worded to say what to send instead.</summary>
internal static class MetricsProblems
{
    public static ProblemHttpResult UnknownKpi(string name) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Unknown KPI",
        detail: $"There is no KPI '{name}'. Choose from {string.Join(", ", KpiCatalogue.All.Select(k => k.Name))} (GET {MetricsApi.Prefix}/kpis describes them).");

    public static ValidationProblem BadParameters(string kpi, Dictionary<string, string[]> errors) => TypedResults.ValidationProblem(
        errors, title: "Bad KPI parameters",
        detail: $"The {kpi} KPI could not read its parameters: {string.Join(" ", errors.Values.SelectMany(e => e))}");
}
