using System.Data.Common;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Tasks.Assignment;

/// <summary>
/// Applies a playbook's assignee rule to the account it runs for. A rule that finds nobody never loses the task:
/// it is created unassigned in the team, and the history says why, so a lead can reassign it.
/// </summary>
internal static class AssigneeResolver
{
    public static Task<Assignment> ResolveAsync(DbConnection connection, DbTransaction transaction, AssigneeRule? rule, AccountSnapshot account) =>
        IsQueue(rule) ? QueueTurns.NextAsync(connection, transaction, rule!.Queue, rule.Strategy) : Task.FromResult(WithoutLookup(rule, account));

    /// <summary>A queue's rule takes the queue's next turn, in the task's transaction; every other rule reads only the account.</summary>
    public static bool IsQueue(AssigneeRule? rule) => rule?.Kind?.Trim().ToLowerInvariant() == "queue";

    public static Assignment WithoutLookup(AssigneeRule? rule, AccountSnapshot account) =>
        rule?.Kind?.Trim().ToLowerInvariant() switch
        {
            "owner" => Person(account.OwnerCsm, account, $"assigned to the owner CSM of {account.Name}", $"{account.Name} has no owner CSM"),
            "manager" => Person(account.CsmManager, account, $"assigned to the CSM manager of {account.Name}", $"{account.Name} has no CSM manager"),
            "user" => Person(rule.User, account, "assigned to the user the playbook names", "the playbook names no user"),
            _ => Unassigned(account, $"the playbook's assignee rule '{rule?.Kind}' is not owner, manager, user or queue"),
        };

    private static Assignment Person(string? user, AccountSnapshot account, string found, string missing) =>
        UserIds.Normalize(user) is { } assignee ? new Assignment(assignee, TeamOf(account), found) : Unassigned(account, missing);

    private static Assignment Unassigned(AccountSnapshot account, string why) =>
        new(null, TeamOf(account), $"left unassigned{(TeamOf(account) is { } team ? $" in team {team}" : "")}: {why}");

    // Teams compare case-blind everywhere (a CSM's token, list filters), so they are stored as the CRM's name in lower case.
    private static string? TeamOf(AccountSnapshot account) => UserIds.Normalize(account.Team);
}
