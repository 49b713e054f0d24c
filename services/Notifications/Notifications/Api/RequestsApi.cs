using Playbooks.ServiceDefaults.Security;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Playbooks.Messaging.Contracts;
using Playbooks.Notifications.Delivery;

namespace Playbooks.Notifications.Api;

/// <summary>
/// <c>POST /api/notifications/requests</c>: the same request the engine puts on the bus, checked up front so a caller
/// (a script, the designer's "send a test") hears at once what is wrong. Nothing is recorded unless all of it can be sent.
/// Repeating a request with the same instance and activity ids sends nothing new.
/// </summary>
public static class RequestsApi
{
    public static RouteGroupBuilder MapRequestsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/requests").WithTags("Requests");
        group.MapPost("/", SendAsync).RequireAuthorization(Access.ManageTemplates);
        return group;
    }

    private static async Task<Results<Accepted<RequestAccepted>, ValidationProblem>> SendAsync(
        SendRequest body, DeliveryPlanner planner, DeliveryStore store, CancellationToken cancellationToken)
    {
        var request = new NotificationRequested(
            body.InstanceId ?? $"manual-{Guid.CreateVersion7():N}", body.ActivityId ?? "send", body.DefinitionId ?? "manual", body.PlaybookName ?? "Sent by hand",
            body.Account!, body.Channel!, body.Template!, body.Recipients ?? [], body.Variables ?? default);
        var plan = await planner.PlanAsync(request, cancellationToken);
        if (plan.Problems.Count > 0)
        {
            var errors = plan.Problems.GroupBy(problem => problem.Field).ToDictionary(group => group.Key, group => group.Select(problem => problem.Message).ToArray());
            return ApiProblems.Invalid(errors, "The notification cannot be sent");
        }
        await store.AddAsync(plan.Deliveries, inboxEventId: null, cancellationToken);
        var deliveries = await store.ForActivityAsync(request.InstanceId, request.ActivityId, cancellationToken);
        return TypedResults.Accepted(
            $"/api/notifications/deliveries?instance={Uri.EscapeDataString(request.InstanceId)}",
            new RequestAccepted(request.InstanceId, request.ActivityId, deliveries.Select(row => DeliveryView.From(row)).ToList()));
    }

    /// <summary>A <see cref="NotificationRequested"/> where the ids are optional (generated for a one-off send).</summary>
    public sealed record SendRequest(
        string? InstanceId,
        string? ActivityId,
        string? DefinitionId,
        string? PlaybookName,
        AccountSnapshot? Account,
        string? Channel,
        string? Template,
        IReadOnlyList<RecipientRule>? Recipients,
        JsonElement? Variables);

    public sealed record RequestAccepted(string InstanceId, string ActivityId, IReadOnlyList<DeliveryView> Deliveries);
}
