using Dapper;

namespace Playbooks.Tasks.Storage;

/// <summary>Reading tasks: a CSM's filtered, sorted, paged list, and one task with its checklist, comments and history.</summary>
internal sealed partial class SqlTaskStore
{
    public async Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        var (where, parameters) = Filter(query);
        parameters.Add("Limit", query.PageSize);
        parameters.Add("Offset", (query.Page - 1) * query.PageSize);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TaskRow>(
            $"SELECT {TaskRow.Columns} FROM tasks {where} ORDER BY {OrderBy(query.Sort)} LIMIT @Limit OFFSET @Offset", parameters);
        var total = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM tasks {where}", parameters);
        return new TaskPage(rows.Select(row => row.ToSummary()).ToList(), (int)total, query.Page, query.PageSize);
    }

    public async Task<TaskDetail?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TaskRow>($"SELECT {TaskRow.Columns} FROM tasks WHERE id = @Id", new { Id = id });
        if (row is null) return null;

        var checklist = await connection.QueryAsync<(long Item, string Text, long Done, string? DoneBy, long? DoneAt)>(
            "SELECT item, text, done, done_by, done_at FROM task_checklist WHERE task_id = @Id ORDER BY item", new { Id = id });
        var comments = await connection.QueryAsync<(long Id, string Author, string Text, long CreatedAt)>(
            "SELECT id, author, text, created_at FROM task_comments WHERE task_id = @Id ORDER BY id", new { Id = id });
        var history = await connection.QueryAsync<(long At, string Actor, string Kind, string Detail, string? From, string? To)>(
            "SELECT at, actor, kind, detail, old_value, new_value FROM task_history WHERE task_id = @Id ORDER BY id", new { Id = id });
        return new TaskDetail(
            row.ToSummary(),
            checklist.Select(c => new ChecklistItem((int)c.Item, c.Text, c.Done != 0, c.DoneBy, UnixTime.FromMs(c.DoneAt))).ToList(),
            comments.Select(c => new TaskComment(c.Id, c.Author, c.Text, UnixTime.FromMs(c.CreatedAt))).ToList(),
            history.Select(h => new TaskHistoryEntry(UnixTime.FromMs(h.At), h.Actor, h.Kind, h.Detail, h.From, h.To)).ToList());
    }

    private static (string Where, DynamicParameters Parameters) Filter(TaskQuery query)
    {
        var conditions = new List<string>();
        var parameters = new DynamicParameters();
        void Add(string condition, string name, object? value)
        {
            conditions.Add(condition);
            parameters.Add(name, value);
        }

        // One parameter per value: Dapper passes a list to Npgsql as an array, where "IN @list" is not valid SQL.
        void AddIn(string column, string name, IReadOnlyList<string> values)
        {
            conditions.Add($"{column} IN ({string.Join(", ", values.Select((_, i) => $"@{name}{i}"))})");
            for (var i = 0; i < values.Count; i++) parameters.Add($"{name}{i}", values[i]);
        }

        if (query.VisibleTo is { } viewer)
        {
            if (viewer.Team is null) Add("assignee = @Viewer", "Viewer", viewer.User);
            else
            {
                Add("(assignee = @Viewer OR team = @ViewerTeam)", "Viewer", viewer.User);
                parameters.Add("ViewerTeam", viewer.Team);
            }
        }
        if (query.Assignee is not null) Add("assignee = @Assignee", "Assignee", query.Assignee);
        if (query.Statuses is { Count: > 0 }) AddIn("status", "Statuses", [.. query.Statuses]);
        if (query.DueFrom is { } from) Add("due_at >= @DueFrom", "DueFrom", UnixTime.ToMs(from));
        if (query.DueTo is { } to) Add("due_at <= @DueTo", "DueTo", UnixTime.ToMs(to));
        if (query.AccountId is not null) Add("account_id = @AccountId", "AccountId", query.AccountId);
        if (query.Priorities is { Count: > 0 }) AddIn("priority", "Priorities", [.. query.Priorities]);
        if (query.Team is not null) Add("team = @Team", "Team", query.Team);
        if (query.InstanceId is not null) Add("instance_id = @InstanceId", "InstanceId", query.InstanceId);
        if (query.Overdue is { } overdue)
            conditions.Add(overdue ? "overdue_at IS NOT NULL AND status IN ('open', 'snoozed')" : "(overdue_at IS NULL OR status NOT IN ('open', 'snoozed'))");
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        return (where, parameters);
    }

    // Ties break on id (time-ordered, v7), so paging is stable.
    private static string OrderBy(TaskSort sort) => sort switch
    {
        TaskSort.DueLatest => "due_at DESC NULLS LAST, id",
        TaskSort.MostUrgent => "priority_rank, due_at NULLS LAST, id",
        TaskSort.LeastUrgent => "priority_rank DESC, due_at NULLS LAST, id",
        TaskSort.Newest => "created_at DESC, id DESC",
        TaskSort.Oldest => "created_at, id",
        _ => "due_at NULLS LAST, id",
    };
}
