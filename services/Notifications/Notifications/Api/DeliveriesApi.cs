using Playbooks.Storage.Audit;
using Playbooks.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Playbooks.Notifications.Channels;
using Playbooks.Notifications.Delivery;

namespace Playbooks.Notifications.Api;

/// <summary><c>/api/notifications/deliveries</c>: the delivery log (status per recipient, attempts, last error, next attempt) and dead-letter retries.</summary>
public static class DeliveriesApi
{
    private const int MaxPageSize = 200;

    public static RouteGroupBuilder MapDeliveriesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/deliveries").WithTags("Deliveries");
        group.MapGet("/", ListAsync).RequireAuthorization(Access.ReadDeliveries);
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Access.ReadDeliveries);
        group.MapPost("/{id}/retry", RetryAsync).RequireAuthorization(Access.RetryDeliveries);
        return group;
    }

    private static async Task<Results<Ok<DeliveryPage>, ValidationProblem>> ListAsync(
        DeliveryStore store, CancellationToken cancellationToken,
        string? instance = null, string? account = null, string? status = null, string? channel = null, string? recipient = null,
        int page = 1, int pageSize = 50)
    {
        var problems = new Dictionary<string, string[]>();
        if (status is not null && !DeliveryStatus.All.Contains(status)) problems["status"] = [$"Unknown status '{status}'. Use {string.Join(", ", DeliveryStatus.All)}."];
        if (channel is not null && !ChannelNames.IsKnown(channel)) problems["channel"] = [ChannelNames.Unknown(channel)];
        if (page < 1) problems["page"] = ["Pages start at 1."];
        if (pageSize is < 1 or > MaxPageSize) problems["pageSize"] = [$"Ask for 1 to {MaxPageSize} deliveries per page."];
        if (problems.Count > 0) return ApiProblems.Invalid(problems, "Invalid delivery log query");

        var (rows, total) = await store.ListAsync(new DeliveryQuery(instance, account, status, channel, recipient?.ToLowerInvariant(), page, pageSize), cancellationToken);
        return TypedResults.Ok(new DeliveryPage(rows.Select(row => DeliveryView.From(row)).ToList(), page, pageSize, total));
    }

    private static async Task<Results<Ok<DeliveryView>, ProblemHttpResult>> GetAsync(string id, DeliveryStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } row ? TypedResults.Ok(DeliveryView.From(row, withMessage: true)) : ApiProblems.NotFound(NoDelivery(id));

    /// <summary>Gives a dead-lettered delivery a fresh set of attempts.</summary>
    private static async Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> RetryAsync(
        string id, Actor actor, AuditTrail audit, DeliveryStore store, CancellationToken cancellationToken)
    {
        var (result, row) = await store.RetryAsync(id, cancellationToken);
        if (result == RetryResult.Queued)
            await audit.RecordAsync(actor, "delivery.retried", $"delivery:{id}", new { status = "dead" }, new { status = row!.Status.ToString() }, cancellationToken);
        return result switch
        {
            RetryResult.Queued => TypedResults.Accepted($"/api/notifications/deliveries/{id}", DeliveryView.From(row!)),
            RetryResult.NotFound => ApiProblems.NotFound(NoDelivery(id)),
            _ => ApiProblems.Conflict("Only dead-lettered deliveries can be retried", row!.Status switch
            {
                DeliveryStatus.Sent => $"Delivery {id} was sent; retrying it would send it twice.",
                DeliveryStatus.Rejected => $"Delivery {id} was rejected before sending ({row.LastError}); fix the request and send it again.",
                _ => $"Delivery {id} is {row.Status} and will be attempted without help.",
            }),
        };
    }

    private static string NoDelivery(string id) => $"No delivery '{id}'. GET /api/notifications/deliveries lists them.";
}
