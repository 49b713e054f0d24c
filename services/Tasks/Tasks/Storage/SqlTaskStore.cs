using System.Data.Common;
using Playbooks.Messaging;
using Playbooks.Storage;
using TaskOutbox = Playbooks.Messaging.Outbox.Outbox;

namespace Playbooks.Tasks.Storage;

/// <summary>
/// Tasks in the service's SQL database. The SQL sticks to what SQLite and PostgreSQL share (ON CONFLICT, RETURNING,
/// NULLS LAST, partial indexes), so the distributed mode can run it as is or replace single statements.
/// </summary>
internal sealed partial class SqlTaskStore(ServiceDatabase database, TaskOutbox outbox, TimeProvider time) : ITaskStore
{

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction, adds the events it returns to the outbox in that transaction,
    /// and hands them to the relay once committed.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, DateTimeOffset, Task<(T Result, IReadOnlyList<EventEnvelope> Events)>> work, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // SQLite: Microsoft.Data.Sqlite begins IMMEDIATE, so writers queue on the lock instead of failing to upgrade.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (result, events) = await work(connection, transaction, time.GetUtcNow());
        if (events.Count > 0) await TaskOutbox.AddAsync(connection, transaction, events);
        await transaction.CommitAsync(cancellationToken);
        outbox.Committed(events);
        return result;
    }

    private static (T, IReadOnlyList<EventEnvelope>) NoEvents<T>(T result) => (result, []);
}
