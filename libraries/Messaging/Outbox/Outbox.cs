using System.Data.Common;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using Playbooks.Storage;

namespace Playbooks.Messaging.Outbox;

/// <summary>
/// Events a state change emits are written in the same transaction as the change; the relay publishes them afterwards.
/// So a crash either loses both or keeps both, and nothing is published for a change that rolled back.
/// <para>
/// After the commit the writer hands the same events to the relay, which publishes them as they are and deletes their
/// rows by id: the rows are only read back (a scan of the table) for what a crash, a failed publish or a full queue left.
/// </para>
/// </summary>
public sealed class Outbox
{
    // Enough for a few seconds of the busiest service; beyond it the relay reads the rest from the table.
    private const int MaxHandedOver = 50_000;
    private readonly Channel<EventEnvelope> _handedOver = Channel.CreateBounded<EventEnvelope>(
        new BoundedChannelOptions(MaxHandedOver) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private int _missed;

    /// <summary>An event as its outbox row stores it; for a statement that writes the row itself.</summary>
    public sealed record Row(string Id, string Type, string Source, string? AccountId, string OccurredAt, string Data, string? TraceParent);

    public static Row RowOf(EventEnvelope e) => new(e.Id, e.Type, e.Source, e.AccountId, e.OccurredAt.ToString("O"), e.Data.GetRawText(), e.TraceParent);

    /// <summary>
    /// PostgreSQL: the insert of events given as seven arrays ($1 to $7, from <see cref="AsArrays"/>), for a statement
    /// that writes its outbox rows along with other changes.
    /// </summary>
    public const string InsertFromArrays = """
        INSERT INTO outbox (id, type, source, account_id, occurred_at, data, trace_parent)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
        """;

    /// <summary>The events as the seven array parameters of <see cref="InsertFromArrays"/>.</summary>
    public static Npgsql.NpgsqlParameter[] AsArrays(IEnumerable<EventEnvelope> events)
    {
        var rows = events.Select(RowOf).ToList();
        return
        [
            SqlLists.Array(rows.Select(r => r.Id)), SqlLists.Array(rows.Select(r => r.Type)), SqlLists.Array(rows.Select(r => r.Source)),
            SqlLists.Array(rows.Select(r => r.AccountId)), SqlLists.Array(rows.Select(r => r.OccurredAt)), SqlLists.Array(rows.Select(r => r.Data)),
            SqlLists.Array(rows.Select(r => r.TraceParent)),
        ];
    }

    public static Task AddAsync(DbConnection connection, DbTransaction transaction, IEnumerable<EventEnvelope> events)
    {
        var list = events as IReadOnlyCollection<EventEnvelope> ?? events.ToList();
        if (list.Count == 0) return Task.CompletedTask;
        // PostgreSQL over the network: one statement of arrays instead of a round trip per event (Dapper runs a statement
        // per element of a list). SQLite in process gains nothing from it.
        if (list.Count > 1 && connection is Npgsql.NpgsqlConnection postgres)
        {
            var command = new Npgsql.NpgsqlCommand(InsertFromArrays + " ON CONFLICT (id) DO NOTHING", postgres, (Npgsql.NpgsqlTransaction)transaction);
            command.Parameters.AddRange(AsArrays(list));
            return ExecuteAndDisposeAsync(command);
        }
        return connection.ExecuteAsync(
            """
            INSERT INTO outbox (id, type, source, account_id, occurred_at, data, trace_parent)
            VALUES (@Id, @Type, @Source, @AccountId, @OccurredAt, @Data, @TraceParent)
            ON CONFLICT (id) DO NOTHING
            """,
            list.Select(RowOf), transaction);
    }

    private static async Task ExecuteAndDisposeAsync(Npgsql.NpgsqlCommand command)
    {
        await using (command) await command.ExecuteNonQueryAsync();
    }

    /// <summary>Hands the events a transaction wrote to the relay once it has committed, in commit order.</summary>
    public void Committed(IEnumerable<EventEnvelope> events)
    {
        foreach (var e in events)
            if (!_handedOver.Writer.TryWrite(e))
            {
                Volatile.Write(ref _missed, 1);
                return;
            }
    }

    internal ChannelReader<EventEnvelope> HandedOver => _handedOver.Reader;

    /// <summary>Whether events were committed that the queue had no room for (since the last ask): their rows are the only record.</summary>
    internal bool TakeMissed() => Interlocked.Exchange(ref _missed, 0) == 1;

    internal static EventEnvelope ToEnvelope(OutboxRow row) =>
        new(row.Id, row.Type, row.Source, DateTimeOffset.Parse(row.Occurred_At, System.Globalization.CultureInfo.InvariantCulture),
            row.Account_Id, JsonDocument.Parse(row.Data).RootElement, row.Trace_Parent);
}

// A settable class rather than a positional record: Dapper then converts column types (SQLite reports Int64, or BLOB for
// an expression over an empty result; PostgreSQL reports Int32 for INTEGER) instead of demanding an exact constructor match.
internal sealed class OutboxRow
{
    public long Seq { get; set; }
    public string Id { get; set; } = "";
    public string Type { get; set; } = "";
    public string Source { get; set; } = "";
    public string? Account_Id { get; set; }
    public string Occurred_At { get; set; } = "";
    public string Data { get; set; } = "";
    public string? Trace_Parent { get; set; }
    public long Attempts { get; set; }
}
