using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace Playbooks.Messaging.Outbox;

/// <summary>
/// Events a state change emits are written in the same transaction as the change; the relay publishes them afterwards.
/// So a crash either loses both or keeps both, and nothing is published for a change that rolled back.
/// </summary>
public sealed class Outbox(OutboxSignal signal)
{
    public static Task AddAsync(DbConnection connection, DbTransaction transaction, IEnumerable<EventEnvelope> events) =>
        connection.ExecuteAsync(
            """
            INSERT INTO outbox (id, type, source, account_id, occurred_at, data, trace_parent)
            VALUES (@Id, @Type, @Source, @AccountId, @OccurredAt, @Data, @TraceParent)
            ON CONFLICT (id) DO NOTHING
            """,
            events.Select(e => new
            {
                e.Id, e.Type, e.Source, e.AccountId,
                OccurredAt = e.OccurredAt.ToString("O"),
                Data = e.Data.GetRawText(),
                e.TraceParent,
            }),
            transaction);

    /// <summary>Wakes the relay after a commit, so events leave at once instead of at the next poll.</summary>
    public void Committed() => signal.Raise();

    internal static EventEnvelope ToEnvelope(OutboxRow row) =>
        new(row.Id, row.Type, row.Source, DateTimeOffset.Parse(row.Occurred_At, System.Globalization.CultureInfo.InvariantCulture),
            row.Account_Id, JsonDocument.Parse(row.Data).RootElement, row.Trace_Parent);
}

// Dapper binds this constructor only when each column's type matches exactly; an INTEGER count is Int64 on SQLite and
// Int32 on PostgreSQL, so the row carries no such column (the relay counts attempts in SQL).
internal sealed record OutboxRow(long Seq, string Id, string Type, string Source, string? Account_Id, string Occurred_At, string Data, string? Trace_Parent);
