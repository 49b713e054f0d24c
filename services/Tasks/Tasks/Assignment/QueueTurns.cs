using System.Data.Common;
using Dapper;

namespace Playbooks.Tasks.Assignment;

/// <summary>
/// Picks the member of a team or role queue who gets the next task, inside the task's own transaction.
/// Bumping the queue's turn counter first locks the queue row (PostgreSQL) or the database (SQLite), so two tasks
/// created at once never both go to the same "next" member.
/// </summary>
internal static class QueueTurns
{
    public const string RoundRobin = "round-robin";
    public const string LeastLoaded = "least-loaded";

    public static async Task<Assignment> NextAsync(DbConnection connection, DbTransaction transaction, string? queue, string? strategy)
    {
        var name = QueueNames.Normalize(queue);
        if (name is null) return new Assignment(null, null, "left unassigned: the playbook names no queue");
        var turn = await connection.QuerySingleOrDefaultAsync<long?>(
            "UPDATE task_queues SET turns = turns + 1 WHERE name = @Name RETURNING turns", new { Name = name }, transaction);
        if (turn is null)
            return new Assignment(null, name, $"left unassigned in queue '{name}': no such queue (PUT /api/tasks/queues/{name} to create it)");

        var leastLoaded = string.Equals(strategy?.Trim(), LeastLoaded, StringComparison.OrdinalIgnoreCase);
        // Round robin: the member who has waited longest since their last task from this queue (new members first).
        // Least loaded: the member with the fewest open or snoozed tasks anywhere, then the longest waiting.
        var member = await connection.QuerySingleOrDefaultAsync<string>(
            leastLoaded
                ? """
                  SELECT m.member FROM task_queue_members m WHERE m.queue = @Name
                  ORDER BY (SELECT COUNT(*) FROM tasks t WHERE t.assignee = m.member AND t.status IN ('open', 'snoozed')),
                      m.last_turn NULLS FIRST, m.position
                  LIMIT 1
                  """
                : "SELECT member FROM task_queue_members WHERE queue = @Name ORDER BY last_turn NULLS FIRST, position LIMIT 1",
            new { Name = name }, transaction);
        if (member is null) return new Assignment(null, name, $"left unassigned in queue '{name}': the queue has no members");

        await connection.ExecuteAsync(
            "UPDATE task_queue_members SET last_turn = @Turn WHERE queue = @Name AND member = @Member",
            new { Turn = turn, Name = name, Member = member }, transaction);
        var how = leastLoaded ? "least loaded" : strategy is null || strategy.Trim() == RoundRobin ? "round robin" : $"round robin (unknown strategy '{strategy}')";
        return new Assignment(member, name, $"assigned {how} in queue '{name}'");
    }
}
