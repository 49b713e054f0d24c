using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Playbooks.Storage;

namespace Playbooks.Messaging.Outbox;

/// <summary>
/// Publishes committed events in order and deletes their rows once the bus has taken them. Events handed over after
/// their commit are published as they are; the table itself is read (swept) at start-up, after a failure, when the
/// hand-over queue overflowed, and every few seconds for what another replica left when it died. A swept row the bus
/// keeps refusing is retried with backoff and then set aside as dead (kept, with the error) so it cannot block the rest;
/// a bus that cannot take anything (<see cref="BusUnavailableException"/>) is waited for, however long, blaming no row.
/// </summary>
internal sealed partial class OutboxRelay(ServiceDatabase database, IEventBus bus, Outbox outbox, ILogger<OutboxRelay> logger,
    TimeSpan sweepEvery = default) : BackgroundService
{
    private const int BatchSize = 256;
    private const int MaxAttempts = 8;

    // A row still in the table a whole sweep period after a sweep saw it drawn was not handed over (its writer died) or
    // its hand-over failed; rows drawn since may still be on their way and are left to their writer.
    private readonly TimeSpan _sweepEvery = sweepEvery == default ? TimeSpan.FromSeconds(5) : sweepEvery;
    // PostgreSQL keeps a deleted row's index entry until VACUUM reaches the table, and a scan from the head of the queue
    // steps over every one of them (258 ms a sweep at 6,000 events/s). So a sweep starts where the one before the last
    // ended, which still finds a row whose transaction stayed open through a whole sweep period; every HeadSweepEvery-th
    // sweep starts from the head, for one that stayed open longer.
    private const int HeadSweepEvery = 12;
    private long _sweepFrom, _sweepUpTo, _sweeps, _sweptAt;

    // Published events' rows are deleted together, a round trip for many events instead of one per hand-over (at
    // 200 account events/s an engine replica's relay made 100 deletions a second); the rows outlive their publish by at
    // most this long, well inside a sweep period, so no sweep takes them for unpublished.
    private static readonly TimeSpan DeleteWithin = TimeSpan.FromMilliseconds(100);
    private readonly List<string> _published = [];
    private long _publishedAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RelayAsync(stoppingToken);
        }
        finally
        {
            // A service stopped on purpose leaves no published row behind to be published again when it starts.
            try { await DeletePublishedAsync(CancellationToken.None); }
            catch (Exception error) when (error is DbException or InvalidOperationException or TimeoutException) { }
        }
    }

    private async Task RelayAsync(CancellationToken stoppingToken)
    {
        // At start-up the table holds what this service left when it stopped or died: all of it is published first.
        var sweeping = true;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (outbox.TakeMissed()) sweeping = true;
                if (sweeping)
                {
                    // The hand-overs' rows are in the table, which the sweep reads in order; one committed as it ends is
                    // taken by the next periodic sweep.
                    while (outbox.HandedOver.TryRead(out _)) { }
                    await DeletePublishedAsync(stoppingToken);
                    if (await SweepBatchAsync(0, long.MaxValue, stoppingToken) == 0) sweeping = false;
                }
                else if (TakeHandedOver() is { Count: > 0 } handedOver)
                {
                    await PublishHandedOverAsync(handedOver, stoppingToken);
                }
                else if (_published.Count > 0 && Environment.TickCount64 - _publishedAt >= DeleteWithin.TotalMilliseconds)
                {
                    await DeletePublishedAsync(stoppingToken);
                }
                else if (Environment.TickCount64 - _sweptAt >= _sweepEvery.TotalMilliseconds)
                {
                    await DeletePublishedAsync(stoppingToken);
                    var from = _sweeps++ % HeadSweepEvery == 0 ? 0 : _sweepFrom;
                    while (await SweepBatchAsync(from, _sweepUpTo, stoppingToken) == BatchSize) { }
                    (_sweepFrom, _sweepUpTo) = (_sweepUpTo, await NewestSeqAsync(stoppingToken));
                    _sweptAt = Environment.TickCount64;
                }
                else
                {
                    var until = _published.Count > 0 ? Math.Min(_publishedAt + (long)DeleteWithin.TotalMilliseconds, _sweptAt + (long)_sweepEvery.TotalMilliseconds)
                        : _sweptAt + (long)_sweepEvery.TotalMilliseconds;
                    using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    wake.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, until - Environment.TickCount64)));
                    try { await outbox.HandedOver.WaitToReadAsync(wake.Token); }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
                }
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                failures++;
                sweeping = true;
                LogPublishFailed(logger, failures, error);
                // Stopping while backing off is a normal stop, not a failed service (which would stop the host).
                try { await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, failures))), stoppingToken); }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            }
        }
    }

    private List<EventEnvelope> TakeHandedOver()
    {
        var events = new List<EventEnvelope>();
        while (events.Count < BatchSize && outbox.HandedOver.TryRead(out var e)) events.Add(e);
        return events;
    }

    /// <summary>
    /// Publishes handed-over events; their rows are deleted by id soon after (<see cref="DeleteWithin"/>). If the bus
    /// refuses them, the rows stay and the sweep that follows the failure publishes them; if the deletion fails, they are
    /// published again (consumers keep an inbox).
    /// </summary>
    private async Task PublishHandedOverAsync(List<EventEnvelope> events, CancellationToken cancellationToken)
    {
        await bus.PublishAsync(events, cancellationToken);
        if (_published.Count == 0) _publishedAt = Environment.TickCount64;
        _published.AddRange(events.Select(e => e.Id));
        if (_published.Count >= BatchSize) await DeletePublishedAsync(cancellationToken);
    }

    private async Task DeletePublishedAsync(CancellationToken cancellationToken)
    {
        if (_published.Count == 0) return;
        var ids = _published.ToArray();
        _published.Clear();
        await using var connection = await database.OpenAsync(cancellationToken);
        if (connection is NpgsqlConnection postgres)
        {
            // Not worth an fsync: a deletion lost in a crash only publishes its events once more. No sequential scan, as
            // for a sweep (TakeAsync): at 200 account events/s the planner read the whole table of dead rows, 3.4 ms a deletion.
            await using var batch = new NpgsqlBatch(postgres)
            {
                BatchCommands =
                {
                    new("BEGIN"),
                    new("SET LOCAL synchronous_commit = off"),
                    new("DELETE FROM outbox WHERE id = ANY($1)") { Parameters = { SqlLists.Array(ids) } },
                    new("COMMIT"),
                },
            };
            await batch.RuledIn(at: 1).ExecuteNonQueryAsync(cancellationToken);
        }
        else
        {
            await connection.ExecuteAsync($"DELETE FROM outbox WHERE {SqlLists.In(database.Provider, "id", "ids")}", new { ids });
        }
    }

    // PostgreSQL: the sequence's last number rather than MAX(seq), which steps back over the deleted rows' index entries
    // (21 ms at 6,000 events/s); a number drawn by a transaction that has not committed yet is as good.
    private async Task<long> NewestSeqAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(database.Provider == DatabaseProvider.Postgres
            ? "SELECT last_value FROM outbox_seq_seq" : "SELECT MAX(seq) FROM outbox") ?? 0;
    }

    /// <summary>Publishes the oldest batch of rows numbered <paramref name="from"/> to <paramref name="upTo"/> from the table; returns how many rows it took.</summary>
    private async Task<int> SweepBatchAsync(long from, long upTo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return database.Provider == DatabaseProvider.Postgres
            ? await PublishTakingRowsAsync(connection, from, upTo, cancellationToken)
            : await PublishThenDeleteAsync(connection, from, upTo, cancellationToken);
    }

    // PostgreSQL: the rows are taken (deleted, so replicas relay disjoint rows) in one statement, published, and the
    // deletion committed only once the bus has them; if the bus refuses, the rollback puts them back.
    private async Task<int> PublishTakingRowsAsync(DbConnection connection, long from, long upTo, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = await TakeAsync((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, from, upTo, cancellationToken);
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
        return rows.Count;
    }

    /// <summary>
    /// Deletes and returns the oldest batch in the range. Sequential scans are off for it: once
    /// analysed, a queue of a few live rows in thousands of pages of dead ones looks small to the planner, which then
    /// reads every page (23 ms) instead of the index range (0.5 ms). Both go in one round trip.
    /// </summary>
    private static async Task<List<OutboxRow>> TakeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long from, long upTo, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new($"""
                    DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE dead_at IS NULL AND seq BETWEEN $1 AND $2 ORDER BY seq LIMIT {BatchSize} FOR UPDATE SKIP LOCKED)
                    RETURNING seq, id, type, source, account_id, occurred_at, data, trace_parent, attempts
                    """) { Parameters = { new NpgsqlParameter<long> { TypedValue = from }, new NpgsqlParameter<long> { TypedValue = upTo } } },
            },
        };
        // The settings return no result set, so the reader starts on the DELETE's rows.
        await using var reader = await batch.RuledIn(at: 0).ExecuteReaderAsync(cancellationToken);
        var parse = reader.GetRowParser<OutboxRow>();
        var rows = new List<OutboxRow>();
        while (await reader.ReadAsync(cancellationToken)) rows.Add(parse(reader));
        return [.. rows.OrderBy(r => r.Seq)];
    }

    // SQLite has one process; a read transaction upgraded to a write would fail there whenever a store committed in
    // between, so each statement commits on its own.
    private async Task<int> PublishThenDeleteAsync(DbConnection connection, long from, long upTo, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<OutboxRow>(
            $"SELECT seq, id, type, source, account_id, occurred_at, data, trace_parent, attempts FROM outbox WHERE dead_at IS NULL AND seq BETWEEN @from AND @upTo ORDER BY seq LIMIT {BatchSize}",
            new { from, upTo })).ToList();
        if (rows.Count == 0) return 0;
        var (events, unreadable) = Read(rows);
        await PublishAsync(connection, null, events, cancellationToken);
        if (unreadable.Count > 0)
            await connection.ExecuteAsync("UPDATE outbox SET attempts = attempts + 1, last_error = @Error, dead_at = @Now WHERE seq = @Seq",
                unreadable.Select(u => new { u.Row.Seq, u.Error, Now = DateTimeOffset.UtcNow.ToString("O") }));
        if (events.Count > 0) await connection.ExecuteAsync($"DELETE FROM outbox WHERE seq IN ({string.Join(',', events.Select(e => e.Row.Seq))})");
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
            // An unreachable bus refuses every row alike: counted against the head, an outage of a minute set sound
            // events aside one after another, to reach nobody until someone revived them by hand, out of order.
            if (error is not BusUnavailableException) await RecordFailureAsync(connection, events[0].Row, error);
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
