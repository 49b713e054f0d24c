using Playbooks.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Playbooks.Metrics.Folding;
using Playbooks.Metrics.Kpis;

namespace Playbooks.Metrics.Api;

/// <summary>The KPI API for CS Ops. The gateway forwards <c>/api/metrics/**</c> here unchanged.</summary>
public static class MetricsApi
{
    public const string Prefix = "/api/metrics";

    public static RouteGroupBuilder MapMetricsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix).WithTags("Metrics");
        group.MapGet("/kpis", ListKpis).RequireAuthorization(Access.ReadMetrics);
        group.MapGet("/kpis/{kpi}", GetKpiAsync).RequireAuthorization(Access.ReadMetrics);
        group.MapPost("/rebuild", RebuildAsync).RequireAuthorization(Access.Operate);
        return group;
    }

    private static Ok<IEnumerable<object>> ListKpis() => TypedResults.Ok(KpiCatalogue.All.Select(k => (object)new
    {
        k.Name, k.Summary, Groupings = k.Groupings.Keys, k.DefaultGroupBy, k.Parameters, Path = $"{Prefix}/kpis/{k.Name}",
    }));

    private static async Task<Results<Ok<KpiReport>, ValidationProblem, ProblemHttpResult>> GetKpiAsync(
        string kpi, HttpRequest http, KpiReader reader, TimeProvider time, CancellationToken cancellationToken)
    {
        if (KpiCatalogue.Find(kpi) is not { } definition) return MetricsProblems.UnknownKpi(kpi);
        var (request, errors) = KpiRequestParser.Parse(definition, http.Query, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        if (request is null) return MetricsProblems.BadParameters(definition.Name, errors);
        var groups = await definition.ReadAsync(reader, request, cancellationToken);
        return TypedResults.Ok(new KpiReport(definition.Name, request.From, request.To, request.BucketName, request.GroupBy, groups));
    }

    // Not cancelled with the request: a caller that gives up (or the gateway's 30 s timeout) must not roll back a
    // rebuild nearly done. It stops only with the service.
    private static async Task<Ok<RebuildResult>> RebuildAsync(MetricsStore store, IHostApplicationLifetime lifetime) =>
        TypedResults.Ok(await store.RebuildAsync(lifetime.ApplicationStopping));
}
