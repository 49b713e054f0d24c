using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.ServiceDefaults.Security;

namespace Playbooks.Tasks.Api;

/// <summary>
/// Who is acting on tasks, from their verified token. A CSM sees and works their own tasks and their team's; CS Ops
/// and admins see every task (to rebalance work).
/// </summary>
public sealed record CurrentUser(string Id, string Role, string? Team)
{
    public bool SeesEveryTask => Role != Roles.Csm;

    public bool CanSee(TaskSummary task) =>
        SeesEveryTask || task.Assignee == Id || (Team is not null && task.Team == Team);

    public static ValueTask<CurrentUser?> BindAsync(HttpContext context)
    {
        var actor = Actor.From(context.User, context.RequestServices.GetRequiredService<AuthOptions>());
        return ValueTask.FromResult<CurrentUser?>(new CurrentUser(actor.Id, actor.Role, actor.Team));
    }
}
