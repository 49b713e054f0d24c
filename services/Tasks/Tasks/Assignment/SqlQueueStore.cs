using System.Data.Common;
using Dapper;
using Playbooks.Storage;
using Playbooks.Tasks.Storage;

namespace Playbooks.Tasks.Assignment;

internal sealed class SqlQueueStore(ServiceDatabase database, TimeProvider time) : IQueueStore
{
    public async Task<TaskQueue> PutAsync(string name, IReadOnlyList<string> members, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO task_queues (name, turns, updated_at, updated_by) VALUES (@Name, 0, @Now, @Actor)
            ON CONFLICT (name) DO UPDATE SET updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """,
            new { Name = name, Now = UnixTime.ToMs(time.GetUtcNow()), Actor = actor }, transaction);
        await connection.ExecuteAsync(
            "DELETE FROM task_queue_members WHERE queue = @Name AND member NOT IN @Members", new { Name = name, Members = members.ToArray() }, transaction);
        await connection.ExecuteAsync(
            """
            INSERT INTO task_queue_members (queue, member, position) VALUES (@Name, @Member, @Position)
            ON CONFLICT (queue, member) DO UPDATE SET position = excluded.position
            """,
            members.Select((member, index) => new { Name = name, Member = member, Position = index }), transaction);
        var queue = await ReadAsync(connection, transaction, name);
        await transaction.CommitAsync(cancellationToken);
        return queue!;
    }

    public async Task<TaskQueue?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAsync(connection, null, name);
    }

    public async Task<IReadOnlyList<TaskQueue>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var names = await connection.QueryAsync<string>("SELECT name FROM task_queues ORDER BY name");
        var queues = new List<TaskQueue>();
        foreach (var name in names) queues.Add((await ReadAsync(connection, null, name))!);
        return queues;
    }

    private static async Task<TaskQueue?> ReadAsync(DbConnection connection, DbTransaction? transaction, string name)
    {
        var queue = (await connection.QueryAsync<(long UpdatedAt, string UpdatedBy)>(
            "SELECT updated_at, updated_by FROM task_queues WHERE name = @Name", new { Name = name }, transaction)).ToList();
        if (queue is not [var found]) return null;
        var members = await connection.QueryAsync<MemberRow>(
            """
            SELECT m.member AS Member, (SELECT COUNT(*) FROM tasks t WHERE t.assignee = m.member AND t.status IN ('open', 'snoozed')) AS OpenTasks
            FROM task_queue_members m WHERE m.queue = @Name ORDER BY m.position
            """,
            new { Name = name }, transaction);
        return new TaskQueue(name, members.Select(m => new QueueMember(m.Member, (int)m.OpenTasks)).ToList(), UnixTime.FromMs(found.UpdatedAt), found.UpdatedBy);
    }

    // A class, not a tuple: Dapper converts into properties, but maps a tuple only when the provider's column types match
    // exactly, and a COUNT has no declared type on SQLite.
    private sealed class MemberRow
    {
        public string Member { get; init; } = "";
        public long OpenTasks { get; init; }
    }
}
