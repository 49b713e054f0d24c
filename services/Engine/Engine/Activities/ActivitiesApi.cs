using Playbooks.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Playbooks.Engine.Activities;

public static class ActivitiesApi
{
    /// <summary>The palette: every activity type with its inputs and outcomes, for the designer.</summary>
    public static RouteGroupBuilder MapActivitiesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/engine/activities").RequireAuthorization(Access.ReadPlaybooks);
        group.MapGet("/", (ActivityCatalogue catalogue) => TypedResults.Ok(catalogue.Descriptors.Select(d => new
        {
            d.Type, d.Category, d.DisplayName, d.Description, d.Outcomes, d.DynamicOutcomes, d.CanWait,
            Inputs = d.Inputs.Select(i => new { i.Name, i.DisplayName, Kind = i.Kind.ToString().ToLowerInvariant(), i.Description, i.Required, i.ExpressionCapable, i.UiHint, i.Options, i.Default }),
        })));
        return group;
    }
}
