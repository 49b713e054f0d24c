using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Playbooks.Gateway.Routing;
using Playbooks.ServiceDefaults.Security;
using Playbooks.Storage.Audit;

namespace Playbooks.Gateway.Audit;

/// <summary>
/// <c>GET /api/audit</c>: one audit log for admins, merged newest first from the services that record changes
/// (engine: playbooks and runs; notifications: templates and retried deliveries) and the gateway's own (API keys).
/// </summary>
internal static class SuiteAuditApi
{
    public const string ClientName = "audit";
    public static readonly IReadOnlyList<string> AuditedServices = ["engine", "notifications"];

    public sealed record SuiteAuditPage(IReadOnlyList<AuditEntry> Entries, IReadOnlyList<string> Unavailable);

    public static void MapSuiteAuditApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/audit", ReadAsync).RequireAuthorization(Access.Administer);

    private static async Task<IResult> ReadAsync(HttpContext context, string? service, string? action, string? actor, string? subject,
        DateTimeOffset? from, DateTimeOffset? to, int? limit, Actor admin, AuditTrail own, TokenIssuer issuer, IHttpClientFactory clients,
        IConfiguration configuration, CancellationToken cancellationToken)
    {
        var size = limit ?? 100;
        if (size is < 1 or > AuditTrail.MaxLimit)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"Ask for 1 to {AuditTrail.MaxLimit} entries."] });
        var sources = new[] { GatewayExtensions.Name }.Concat(AuditedServices).Where(s => service is null || s == service).ToList();
        if (sources.Count == 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["service"] = [$"The audit log covers {GatewayExtensions.Name}, {string.Join(", ", AuditedServices)}."],
            });

        var query = new AuditQuery(action, actor, subject, from, to, size);
        var unavailable = new List<string>();
        var reads = sources.Select(async source =>
        {
            if (source == GatewayExtensions.Name) return await own.QueryAsync(query, cancellationToken);
            // Any replica will do: the log is in the service's database, not in the process.
            foreach (var address in configuration[SuiteServices.AddressKey(source)]!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"{address}/api/{source}/audit{context.Request.QueryString}");
                    // The admin may have come with an API key, which services do not know: they get a minute-long token instead.
                    request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {issuer.Issue(admin.Id, admin.Role, lifetime: TimeSpan.FromMinutes(1)).Token}");
                    using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
                    response.EnsureSuccessStatusCode();
                    return (await response.Content.ReadFromJsonAsync<AuditApi.AuditPage>(cancellationToken))!.Entries;
                }
                catch (Exception error) when (error is HttpRequestException or JsonException
                    || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // Unreachable, too slow or answering nonsense: try the next replica, then report the service missing.
                }
            }
            lock (unavailable) unavailable.Add(source);
            return [];
        });
        var entries = (await Task.WhenAll(reads)).SelectMany(e => e).OrderByDescending(e => e.At).Take(size).ToList();
        return TypedResults.Ok(new SuiteAuditPage(entries, unavailable));
    }
}
