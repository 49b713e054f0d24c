using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Playbooks.Storage;

namespace Playbooks.Messaging.Outbox;

/// <summary>
/// Publishes committed outbox rows in order and deletes them once the bus has taken them. A row the bus keeps
/// refusing is retried with backoff and then set aside as dead (kept, with the error) so it cannot block the rest.
/// </summary>
internal sealed partial class OutboxRelay(ServiceDatabase database, IEventBus bus, Doorbell signal, ILogger<OutboxRelay> logger) : BackgroundService
{
    private const int BatchSize = 256;
    private const int MaxAttempts = 8;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    // PostgreSQL keeps a published (deleted) row's index entry until VACUUM reaches the table, at most about a minute
    // later, and a scan from the head of the queue steps over every one of them: 6 ms a batch at 1,200 rows/s, a quarter
    // of the database's time in the distributed benchmark. So a scan starts a margin below the last row the relay took:
    // a row whose transaction commits late (its number drawn before rows already published) is still found if fewer than
    // FloorMargin rows were drawn meanwhile, and otherwise by a scan from the head, every HeadSweep at the latest.
    private const long FloorMargin = 256;
    private static readonly TimeSpan HeadSweep = TimeSpan.FromSeconds(2);
    private long _floor;
    private long _sweptAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await PublishBatchAsync(stoppingToken);
                failures = 0;
                if (published == 0) await signal.WaitAsync(IdlePoll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                failures++;
                LogPublishFailed(logger, failures, error);
                // Stopping while backing off is a normal stop, not a failed service (which would stop the host).
                try { await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, failures))), stoppingToken); }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            }
        }
    }

    private async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return database.Provider == DatabaseProvider.Postgres
            ? await PublishTakingRowsAsync(connection, cancellationToken)
            : await PublishThenDeleteAsync(connection, cancellationToken);
    }

    // PostgreSQL: the rows are taken (deleted, so replicas relay disjoint rows) in one statement, published, and the
    // deletion committed only once the bus has them; if the bus refuses, the rollback puts them back.
    private async Task<int> PublishTakingRowsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var fromHead = Environment.TickCount64 - _sweptAt >= HeadSweep.TotalMilliseconds;
        if (fromHead) _sweptAt = Environment.TickCount64;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = await TakeAsync((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, fromHead ? 0 : _floor, cancellationToken);
        if (rows.Count == 0) return 0;
        var (events, unreadable) = Read(rows);
        await PublishAsync(connection, transaction, events, cancellationToken);
        // Taken with the rest, so they go back in, dead.
        if (unreadable.Count > 0)
            await connection.ExecuteAsync(
                """
                INSERT INTO outbox (seq, id, type, source, account_id, occurred_at, data, trace_parent, attempts, last_error, dead_at)
                VALUES (@Seq, @Id, @Type, @Source, @AccountId, @OccurredAt, @Data, @TraceParent, @Attempts, @Error, @Now)
                """,
                unreadable.Select(u => new
                {
                    u.Row.Seq, u.Row.Id, u.Row.Type, u.Row.Source, AccountId = u.Row.Account_Id, OccurredAt = u.Row.Occurred_At, u.Row.Data,
                    TraceParent = u.Row.Trace_Parent, Attempts = u.Row.Attempts + 1, u.Error, Now = DateTimeOffset.UtcNow.ToString("O"),
                }), transaction);
        await transaction.CommitAsync(cancellationToken);
        _floor = Math.Max(_floor, rows[^1].Seq + 1 - FloorMargin);
        return rows.Count;
    }

    /// <summary>
    /// Deletes and returns the oldest batch from <paramref name="from"/> on. Sequential scans are off for it: once
    /// analysed, a queue of a few live rows in thousands of pages of dead ones looks small to the planner, which then
    /// reads every page (23 ms) instead of the index range (0.5 ms). Both go in one round trip.
    /// </summary>
    private static async Task<List<OutboxRow>> TakeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long from, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new("SET LOCAL enable_seqscan = off"),
                new($"""
                    DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE dead_at IS NULL AND seq >= $1 ORDER BY seq LIMIT {BatchSize} FOR UPDATE SKIP LOCKED)
                    RETURNING seq, id, type, source, account_id, occurred_at, data, trace_parent, attempts
                    """) { Parameters = { new NpgsqlParameter<long> { TypedValue = from } } },
            },
        };
        // The SET returns no result set, so the reader starts on the DELETE's rows.
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var parse = reader.GetRowParser<OutboxRow>();
        var rows = new List<OutboxRow>();
        while (await reader.ReadAsync(cancellationToken)) rows.Add(parse(reader));
        return [.. rows.OrderBy(r => r.Seq)];
    }

    // SQLite has one process; a read transaction upgraded to a write would fail there whenever a store committed in
    // between, so each statement commits on its own.
    private async Task<int> PublishThenDeleteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<OutboxRow>(
            $"SELECT seq, id, type, source, account_id, occurred_at, data, trace_parent, attempts FROM outbox WHERE dead_at IS NULL ORDER BY seq LIMIT {BatchSize}")).ToList();
        if (rows.Count == 0) return 0;
        var (events, unreadable) = Read(rows);
        await PublishAsync(connection, null, events, cancellationToken);
        if (events.Count > 0) await connection.ExecuteAsync($"DELETE FROM outbox WHERE seq IN ({string.Join(',', events.Select(e => e.Row.Seq))})");
        if (unreadable.Count > 0)
            await connection.ExecuteAsync("UPDATE outbox SET attempts = attempts + 1, last_error = @Error, dead_at = @Now WHERE seq = @Seq",
                unreadable.Select(u => new { u.Row.Seq, u.Error, Now = DateTimeOffset.UtcNow.ToString("O") }));
        return rows.Count;
    }

    /// <summary>
    /// Hands the events to the bus. If it refuses, the failure is recorded against the first and thrown; on PostgreSQL
    /// the rollback of <paramref name="taking"/> first puts the taken rows back, so it is recorded on the row itself.
    /// </summary>
    private async Task PublishAsync(DbConnection connection, DbTransaction? taking, List<(OutboxRow Row, EventEnvelope Envelope)> events,
        CancellationToken cancellationToken)
    {
        if (events.Count == 0) return;
        try
        {
            await bus.PublishAsync(events.Select(e => e.Envelope).ToList(), cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            if (taking is not null) await taking.RollbackAsync(CancellationToken.None);
            await RecordFailureAsync(connection, events[0].Row, error);
            throw;
        }
    }

    /// <summary>
    /// The rows as events, and those that cannot be read as one (a row written by hand or by a bug). Those never will be,
    /// so they are set aside as dead at once: failing their whole batch instead held every later event back for eight
    /// backed-off attempts, and blamed the batch's head, which could be a sound event.
    /// </summary>
    private static (List<(OutboxRow Row, EventEnvelope Envelope)> Events, List<(OutboxRow Row, string Error)> Unreadable) Read(List<OutboxRow> rows)
    {
        var events = new List<(OutboxRow, EventEnvelope)>(rows.Count);
        var unreadable = new List<(OutboxRow, string)>();
        foreach (var row in rows)
        {
            try { events.Add((row, Outbox.ToEnvelope(row))); }
            catch (Exception error) when (error is FormatException or JsonException) { unreadable.Add((row, $"Not an event: {error.Message}")); }
        }
        return (events, unreadable);
    }

    // Blame the head of the batch: the bus delivers in order, so it is the first that failed or the one before it.
    private static Task RecordFailureAsync(DbConnection connection, OutboxRow head, Exception error) =>
        connection.ExecuteAsync(
            "UPDATE outbox SET attempts = attempts + 1, last_error = @Error, dead_at = CASE WHEN attempts + 1 >= @Max THEN @Now ELSE NULL END WHERE seq = @Seq",
            new { head.Seq, Error = error.Message, Max = MaxAttempts, Now = DateTimeOffset.UtcNow.ToString("O") });

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Publishing outbox events failed ({Failures} in a row); retrying")]
    private static partial void LogPublishFailed(ILogger logger, int failures, Exception error);
}
