using Dapper;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Tasks.Storage;

/// <summary>
/// What CSMs do to a task. Each update is conditional on the task still being active, so of two racing
/// completions exactly one wins and <c>task.completed</c> is published once.
/// </summary>
internal sealed partial class SqlTaskStore
{
    public Task<TaskSummary?> CompleteAsync(string id, string? outcome, string? note, string actor, CancellationToken cancellationToken) =>
        WriteAsync<TaskSummary?>(async (connection, transaction, now) =>
        {
            var ms = UnixTime.ToMs(now);
            var row = await connection.QuerySingleOrDefaultAsync<TaskRow>(
                $"""
                UPDATE tasks SET status = @Done, outcome = @Outcome, note = @Note, closed_by = @Actor, closed_at = @Now,
                    snoozed_until = NULL, updated_at = @Now
                WHERE id = @Id AND status IN ('open', 'snoozed')
                RETURNING {TaskRow.Columns}
                """,
                new { Done = TaskStatuses.Done, Outcome = outcome, Note = note, Actor = actor, Now = ms, Id = id }, transaction);
            if (row is null) return NoEvents<TaskSummary?>(null);

            var detail = outcome is null ? "Completed" : $"Completed with outcome '{outcome}'";
            await TaskHistory.AddAsync(connection, transaction,
                new HistoryEntry(id, ms, actor, "completed", note is null ? detail : $"{detail}: {note}", To: outcome));
            var task = row.ToSummary();
            return (task, [TaskEvents.Changed(EventTypes.TaskCompleted, task, now)]);
        }, cancellationToken);

    public Task<TaskSummary?> SnoozeAsync(string id, DateTimeOffset until, string actor, CancellationToken cancellationToken) =>
        WriteAsync<TaskSummary?>(async (connection, transaction, now) =>
        {
            var ms = UnixTime.ToMs(now);
            var row = await connection.QuerySingleOrDefaultAsync<TaskRow>(
                $"""
                UPDATE tasks SET status = @Snoozed, snoozed_until = @Until, updated_at = @Now
                WHERE id = @Id AND status IN ('open', 'snoozed')
                RETURNING {TaskRow.Columns}
                """,
                new { Snoozed = TaskStatuses.Snoozed, Until = UnixTime.ToMs(until), Now = ms, Id = id }, transaction);
            if (row is null) return NoEvents<TaskSummary?>(null);

            await TaskHistory.AddAsync(connection, transaction,
                new HistoryEntry(id, ms, actor, "snoozed", $"Snoozed until {until.UtcDateTime:O}", To: until.UtcDateTime.ToString("O")));
            return NoEvents<TaskSummary?>(row.ToSummary());
        }, cancellationToken);

    public Task<TaskSummary?> ReassignAsync(string id, string assignee, string? reason, string actor, CancellationToken cancellationToken) =>
        WriteAsync<TaskSummary?>(async (connection, transaction, now) =>
        {
            var before = await connection.QuerySingleOrDefaultAsync<TaskRow>(
                $"SELECT {TaskRow.Columns} FROM tasks WHERE id = @Id AND status IN ('open', 'snoozed')", new { Id = id }, transaction);
            if (before is null) return NoEvents<TaskSummary?>(null);

            var ms = UnixTime.ToMs(now);
            var row = await connection.QuerySingleAsync<TaskRow>(
                $"UPDATE tasks SET assignee = @Assignee, updated_at = @Now WHERE id = @Id RETURNING {TaskRow.Columns}",
                new { Assignee = assignee, Now = ms, Id = id }, transaction);
            var detail = $"Reassigned from {before.Assignee ?? "nobody"} to {assignee}";
            await TaskHistory.AddAsync(connection, transaction,
                new HistoryEntry(id, ms, actor, "reassigned", reason is null ? detail : $"{detail}: {reason}", before.Assignee, assignee));
            return NoEvents<TaskSummary?>(row.ToSummary());
        }, cancellationToken);

    public Task<bool> SetChecklistItemAsync(string id, int item, bool done, string actor, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction, now) =>
        {
            var ms = UnixTime.ToMs(now);
            var text = await connection.QuerySingleOrDefaultAsync<string>(
                """
                UPDATE task_checklist SET done = @Done, done_by = @DoneBy, done_at = @DoneAt
                WHERE task_id = @Id AND item = @Item AND EXISTS (SELECT 1 FROM tasks WHERE id = @Id AND status IN ('open', 'snoozed'))
                RETURNING text
                """,
                new { Done = done ? 1 : 0, DoneBy = done ? actor : null, DoneAt = done ? ms : (long?)null, Id = id, Item = item },
                transaction);
            if (text is null) return NoEvents(false);

            await connection.ExecuteAsync("UPDATE tasks SET updated_at = @Now WHERE id = @Id", new { Now = ms, Id = id }, transaction);
            await TaskHistory.AddAsync(connection, transaction,
                new HistoryEntry(id, ms, actor, "checklist", $"{(done ? "Ticked" : "Unticked")} '{text}'", To: done ? "done" : "not done"));
            return NoEvents(true);
        }, cancellationToken);

    public Task<TaskComment> AddCommentAsync(string id, string text, string author, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction, now) =>
        {
            var ms = UnixTime.ToMs(now);
            var commentId = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO task_comments (task_id, author, text, created_at) VALUES (@Id, @Author, @Text, @Now) RETURNING id",
                new { Id = id, Author = author, Text = text, Now = ms }, transaction);
            return NoEvents(new TaskComment(commentId, author, text, UnixTime.FromMs(ms)));
        }, cancellationToken);
}
