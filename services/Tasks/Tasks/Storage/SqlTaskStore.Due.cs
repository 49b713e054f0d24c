using Dapper;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Tasks.Storage;

/// <summary>
/// The time-driven changes: snoozes ending and tasks passing their due time. Both are conditional updates,
/// so sweeps running at once (replicas, a restart) mark each task once.
/// </summary>
internal sealed partial class SqlTaskStore
{
    public Task<int> WakeSnoozedAsync(int limit, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction, now) =>
        {
            var ms = UnixTime.ToMs(now);
            var woken = (await connection.QueryAsync<string>(
                """
                UPDATE tasks SET status = @Open, snoozed_until = NULL, updated_at = @Now
                WHERE id IN (SELECT id FROM tasks WHERE status = 'snoozed' AND snoozed_until <= @Now ORDER BY snoozed_until LIMIT @Limit)
                    AND status = 'snoozed'
                RETURNING id
                """,
                new { Open = TaskStatuses.Open, Now = ms, Limit = limit }, transaction)).ToList();
            await TaskHistory.AddAsync(connection, transaction,
                woken.Select(id => new HistoryEntry(id, ms, TaskHistory.System, "woke", "The snooze ended", TaskStatuses.Snoozed, TaskStatuses.Open)));
            return NoEvents(woken.Count);
        }, cancellationToken);

    // Snoozed tasks become overdue too: a snooze hides a task from the inbox, it does not move the due time
    // a playbook may be waiting on to escalate.
    public Task<int> MarkOverdueAsync(int limit, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction, now) =>
        {
            var ms = UnixTime.ToMs(now);
            var rows = (await connection.QueryAsync<TaskRow>(
                $"""
                UPDATE tasks SET overdue_at = @Now, updated_at = @Now
                WHERE id IN (SELECT id FROM tasks WHERE status IN ('open', 'snoozed') AND overdue_at IS NULL AND due_at <= @Now ORDER BY due_at LIMIT @Limit)
                    AND overdue_at IS NULL
                RETURNING {TaskRow.Columns}
                """,
                new { Now = ms, Limit = limit }, transaction)).ToList();
            await TaskHistory.AddAsync(connection, transaction,
                rows.Select(row => new HistoryEntry(row.Id, ms, TaskHistory.System, "overdue",
                    $"Overdue: was due {UnixTime.FromMs(row.DueAt!.Value).UtcDateTime:O}", To: "overdue")));
            var tasks = rows.Select(row => row.ToSummary()).ToList();
            return (tasks.Count, tasks.Select(task => TaskEvents.Changed(EventTypes.TaskOverdue, task, now)).ToList());
        }, cancellationToken);

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One MIN per status so each is a single seek on the partial indexes.
        var earliest = await connection.ExecuteScalarAsync<long?>(
            """
            SELECT MIN(next_time) FROM (
                SELECT MIN(due_at) AS next_time FROM tasks WHERE status = 'open' AND overdue_at IS NULL AND due_at IS NOT NULL
                UNION ALL SELECT MIN(due_at) FROM tasks WHERE status = 'snoozed' AND overdue_at IS NULL AND due_at IS NOT NULL
                UNION ALL SELECT MIN(snoozed_until) FROM tasks WHERE status = 'snoozed') AS next_times
            """);
        return UnixTime.FromMs(earliest);
    }
}

