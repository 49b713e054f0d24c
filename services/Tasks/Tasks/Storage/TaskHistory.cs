using System.Data.Common;
using Dapper;

namespace Playbooks.Tasks.Storage;

/// <summary>Appends to a task's history inside the transaction that makes the change it records.</summary>
internal static class TaskHistory
{
    public const string Engine = "engine";
    public const string System = "system";

    public static Task AddAsync(DbConnection connection, DbTransaction transaction, IEnumerable<HistoryEntry> entries) =>
        connection.ExecuteAsync(
            """
            INSERT INTO task_history (task_id, at, actor, kind, detail, old_value, new_value)
            VALUES (@TaskId, @At, @Actor, @Kind, @Detail, @From, @To)
            """,
            entries, transaction);

    public static Task AddAsync(DbConnection connection, DbTransaction transaction, HistoryEntry entry) =>
        AddAsync(connection, transaction, [entry]);
}

internal sealed record HistoryEntry(string TaskId, long At, string Actor, string Kind, string Detail, string? From = null, string? To = null);
