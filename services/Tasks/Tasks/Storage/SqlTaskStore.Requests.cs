using System.Text.Json;
using Dapper;
using Playbooks.Messaging.Contracts;
using Playbooks.Messaging.Inbox;
using Playbooks.Storage;
using Playbooks.Tasks.Assignment;
using TaskOutbox = Playbooks.Messaging.Outbox.Outbox;

namespace Playbooks.Tasks.Storage;

/// <summary>The changes the engine asks for through the bus: create, escalate, cancel a run's tasks.</summary>
internal sealed partial class SqlTaskStore
{
    public Task<TaskCreation> CreateAsync(string eventId, TaskRequested request, CancellationToken cancellationToken) =>
        database.Provider == DatabaseProvider.Postgres && !IsQueueRule(request) && (request.Checklist ?? []).All(string.IsNullOrWhiteSpace)
            ? CreateInOneStatementAsync(request, cancellationToken)
            : CreateInTransactionAsync(eventId, request, cancellationToken);

    /// <summary>
    /// Recorded in the inbox (and so kept as long as it is) when a run's cancellation is handled: a request for the run's
    /// task handled after it (retried after a failure, or on another replica) learns that its run is over.
    /// </summary>
    private static string RunEndedMark(string instanceId) => $"run-ended:{instanceId}";

    private const string RunEndedSql = "SELECT COUNT(*) FROM inbox WHERE event_id = @RunEnded";

    private async Task<TaskCreation> CreateInTransactionAsync(string eventId, TaskRequested request, CancellationToken cancellationToken)
    {
        var runEnded = false;
        var created = await WriteAsync<TaskSummary?>(async (connection, transaction, now) =>
        {
            runEnded = await connection.ExecuteScalarAsync<long>(RunEndedSql, new { RunEnded = RunEndedMark(request.InstanceId) }, transaction) > 0;
            if (!await Inbox.TryAcceptAsync(connection, transaction, eventId, now)) return NoEvents<TaskSummary?>(null);
            // Only a queue rule changes state (the queue's turn) before the insert, so only it checks for a duplicate first;
            // for the other rules the unique index and ON CONFLICT below are enough, at one statement less.
            if (IsQueueRule(request)
                && await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM tasks WHERE instance_id = @InstanceId AND activity_id = @ActivityId",
                    new { request.InstanceId, request.ActivityId }, transaction) > 0)
                return NoEvents<TaskSummary?>(null);

            var assignment = await AssigneeResolver.ResolveAsync(connection, transaction, request.Assignee, request.Account);
            var ms = UnixTime.ToMs(now);
            var row = await connection.QuerySingleOrDefaultAsync<TaskRow>(
                $"""
                INSERT INTO tasks ({NewTaskColumns}) VALUES ({NewTaskValues})
                ON CONFLICT (instance_id, activity_id) DO NOTHING
                RETURNING {TaskRow.Columns}
                """,
                NewTask(NewTaskRow(request, assignment, ms)), transaction);
            // A second request for the same activity (a new event id), or on PostgreSQL a replica that inserted it meanwhile.
            if (row is null) return NoEvents<TaskSummary?>(null);

            var checklist = (request.Checklist ?? []).Where(text => !string.IsNullOrWhiteSpace(text)).ToList();
            if (checklist.Count > 0)
                await connection.ExecuteAsync(
                    "INSERT INTO task_checklist (task_id, item, text) VALUES (@TaskId, @Item, @Text)",
                    checklist.Select((text, index) => new { TaskId = row.Id, Item = index + 1, Text = text.Trim() }), transaction);
            await TaskHistory.AddAsync(connection, transaction,
                new HistoryEntry(row.Id, ms, TaskHistory.Engine, "created", CreatedDetail(request, assignment), To: assignment.Assignee));

            var task = row.ToSummary();
            return (task, [TaskEvents.Changed(EventTypes.TaskCreated, task, now)]);
        }, cancellationToken);
        return new TaskCreation(created, runEnded);
    }

    /// <summary>
    /// PostgreSQL, for a rule that needs no lookup (owner, manager, user) and no checklist: the task, its history and its
    /// task.created event in the outbox in one statement, committed on its own: one round trip instead of three (the
    /// statement with BEGIN, the outbox row, COMMIT). The event is made from the row as it is inserted (a new task's every
    /// column is known beforehand) and is written only if the task is. The unique (instance, activity) index makes it
    /// idempotent, and for good rather than for the inbox's retention: a redelivered request inserts no task, and so no
    /// history and no event. So no inbox entry is written: it decided nothing here, and cost three index and heap
    /// writes a task and its later pruning. The event's id is new, so its row needs no ON CONFLICT either.
    /// </summary>
    private async Task<TaskCreation> CreateInOneStatementAsync(TaskRequested request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var assignment = AssigneeResolver.WithoutLookup(request.Assignee, request.Account);
        var ms = UnixTime.ToMs(now);
        var task = NewTaskRow(request, assignment, ms);
        var createdEvent = TaskEvents.Changed(EventTypes.TaskCreated, task.ToSummary(), now);
        var created = TaskOutbox.RowOf(createdEvent);
        var parameters = new DynamicParameters(NewTask(task));
        parameters.AddDynamicParams(new
        {
            Actor = TaskHistory.Engine,
            Detail = CreatedDetail(request, assignment),
            OutboxId = created.Id, OutboxType = created.Type, OutboxSource = created.Source, OutboxAccountId = created.AccountId,
            OutboxOccurredAt = created.OccurredAt, OutboxData = created.Data, OutboxTraceParent = created.TraceParent,
            RunEnded = RunEndedMark(request.InstanceId),
        });
        await using var connection = await database.OpenAsync(cancellationToken);
        // The look for the run's end rides in the same round trip.
        await using var results = await connection.QueryMultipleAsync(
            $"""
            WITH task AS (
                INSERT INTO tasks ({NewTaskColumns}) VALUES ({NewTaskValues})
                ON CONFLICT (instance_id, activity_id) DO NOTHING
                RETURNING *),
            history AS (
                INSERT INTO task_history (task_id, at, actor, kind, detail, old_value, new_value)
                SELECT id, @Now, @Actor, 'created', @Detail, NULL, assignee FROM task),
            announced AS (
                INSERT INTO outbox (id, type, source, account_id, occurred_at, data, trace_parent)
                SELECT @OutboxId, @OutboxType, @OutboxSource, @OutboxAccountId, @OutboxOccurredAt, @OutboxData, @OutboxTraceParent FROM task)
            SELECT {TaskRow.Columns} FROM task;
            {RunEndedSql}
            """,
            parameters);
        var row = await results.ReadSingleOrDefaultAsync<TaskRow>();
        var runEnded = await results.ReadSingleAsync<long>() > 0;
        if (row is not null) outbox.Committed([createdEvent]);
        return new TaskCreation(row?.ToSummary(), runEnded);
    }

    private const string NewTaskColumns = """
        id, instance_id, activity_id, definition_id, definition_version, playbook_name, account_id, account_name,
        title, description, assignee, team, due_at, priority, priority_rank, outcomes, status, created_at, updated_at
        """;

    private const string NewTaskValues = """
        @Id, @InstanceId, @ActivityId, @DefinitionId, @Version, @PlaybookName, @AccountId, @AccountName,
        @Title, @Description, @Assignee, @Team, @DueAt, @Priority, @Rank, @Outcomes, @Status, @Now, @Now
        """;

    /// <summary>A new task's row, every column of it, before it is inserted.</summary>
    private static TaskRow NewTaskRow(TaskRequested request, Assignment.Assignment assignment, long ms) => new()
    {
        Id = Guid.CreateVersion7().ToString("N"), InstanceId = request.InstanceId, ActivityId = request.ActivityId, DefinitionId = request.DefinitionId,
        DefinitionVersion = request.Version, PlaybookName = request.PlaybookName, AccountId = request.Account.Id, AccountName = request.Account.Name,
        Title = request.Title.Trim(), Description = request.Description, Assignee = assignment.Assignee, Team = assignment.Team,
        DueAt = UnixTime.ToMs(request.DueAt), Priority = TaskPriorities.TryNormalize(request.Priority, out var known) ? known : TaskPriorities.Normal,
        Outcomes = JsonSerializer.Serialize(CleanOutcomes(request.Outcomes)), Status = TaskStatuses.Open, CreatedAt = ms, UpdatedAt = ms,
    };

    private static object NewTask(TaskRow task) => new
    {
        task.Id, task.InstanceId, task.ActivityId, task.DefinitionId, Version = task.DefinitionVersion, task.PlaybookName, task.AccountId,
        task.AccountName, task.Title, task.Description, task.Assignee, task.Team, task.DueAt, task.Priority, Rank = TaskPriorities.Rank(task.Priority),
        task.Outcomes, task.Status, Now = task.CreatedAt,
    };

    private static string CreatedDetail(TaskRequested request, Assignment.Assignment assignment) =>
        $"Created by playbook '{request.PlaybookName}' ({request.ActivityId}); {assignment.Explanation}";

    private static bool IsQueueRule(TaskRequested request) => AssigneeResolver.IsQueue(request.Assignee);

    public Task<TaskSummary?> EscalateAsync(string eventId, TaskEscalationRequested request, CancellationToken cancellationToken) =>
        WriteAsync<TaskSummary?>(async (connection, transaction, now) =>
        {
            if (!await Inbox.TryAcceptAsync(connection, transaction, eventId, now)) return NoEvents<TaskSummary?>(null);
            // An escalation asks for more urgency; a priority this service does not know is read as the most urgent.
            var priority = TaskPriorities.TryNormalize(request.Priority, out var known) ? known : TaskPriorities.Urgent;
            var before = await connection.QuerySingleOrDefaultAsync<string>(
                "SELECT priority FROM tasks WHERE instance_id = @InstanceId AND activity_id = @TaskActivityId AND status IN ('open', 'snoozed')",
                new { request.InstanceId, request.TaskActivityId }, transaction);
            if (before is null) return NoEvents<TaskSummary?>(null);

            var ms = UnixTime.ToMs(now);
            var row = await connection.QuerySingleAsync<TaskRow>(
                $"""
                UPDATE tasks SET priority = @Priority, priority_rank = @Rank, updated_at = @Now
                WHERE instance_id = @InstanceId AND activity_id = @TaskActivityId
                RETURNING {TaskRow.Columns}
                """,
                new { Priority = priority, Rank = TaskPriorities.Rank(priority), Now = ms, request.InstanceId, request.TaskActivityId }, transaction);
            await TaskHistory.AddAsync(connection, transaction,
                new HistoryEntry(row.Id, ms, TaskHistory.Engine, "escalated", $"Escalated by the playbook: {request.Reason}", before, priority));
            return NoEvents<TaskSummary?>(row.ToSummary());
        }, cancellationToken);

    public Task<IReadOnlyList<TaskSummary>> CancelInstanceAsync(string eventId, InstanceTasksCancellationRequested request, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<TaskSummary>>(async (connection, transaction, now) =>
        {
            if (!await Inbox.TryAcceptAsync(connection, transaction, eventId, now)) return NoEvents<IReadOnlyList<TaskSummary>>([]);
            await Inbox.TryAcceptAsync(connection, transaction, RunEndedMark(request.InstanceId), now);
            var ms = UnixTime.ToMs(now);
            var rows = (await connection.QueryAsync<TaskRow>(
                $"""
                UPDATE tasks SET status = @Cancelled, note = @Reason, closed_by = @Actor, closed_at = @Now, updated_at = @Now
                WHERE instance_id = @InstanceId AND status IN ('open', 'snoozed')
                RETURNING {TaskRow.Columns}
                """,
                new { Cancelled = TaskStatuses.Cancelled, request.Reason, Actor = TaskHistory.Engine, Now = ms, request.InstanceId },
                transaction)).ToList();
            if (rows.Count == 0) return NoEvents<IReadOnlyList<TaskSummary>>([]);

            await TaskHistory.AddAsync(connection, transaction, rows.Select(row =>
                new HistoryEntry(row.Id, ms, TaskHistory.Engine, "cancelled", $"The playbook run ended: {request.Reason}", To: TaskStatuses.Cancelled)));
            var tasks = rows.Select(row => row.ToSummary()).ToList();
            return (tasks, tasks.Select(task => TaskEvents.Changed(EventTypes.TaskCancelled, task, now)).ToList());
        }, cancellationToken);

    private static List<string> CleanOutcomes(IReadOnlyList<string>? outcomes) =>
        (outcomes ?? []).Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
