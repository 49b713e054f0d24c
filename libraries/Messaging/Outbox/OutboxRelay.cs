using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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
        // On PostgreSQL, replicas relay disjoint rows. SQLite has one process; a read transaction upgraded to a write
        // would fail there whenever a store committed in between, so each statement commits on its own.
        var postgres = database.Provider == DatabaseProvider.Postgres;
        await using var transaction = postgres ? await connection.BeginTransactionAsync(cancellationToken) : null;
        var lockRows = postgres ? "FOR UPDATE SKIP LOCKED" : "";
        var rows = (await connection.QueryAsync<OutboxRow>(
            $"SELECT seq, id, type, source, account_id, occurred_at, data, trace_parent FROM outbox WHERE dead_at IS NULL ORDER BY seq LIMIT {BatchSize} {lockRows}",
            transaction: transaction)).ToList();
        if (rows.Count == 0) return 0;

        try
        {
            await bus.PublishAsync(rows.Select(Outbox.ToEnvelope).ToList(), cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            await RecordFailureAsync(connection, transaction, rows[0], error);
            if (transaction is not null) await transaction.CommitAsync(cancellationToken);
            throw;
        }
        await connection.ExecuteAsync($"DELETE FROM outbox WHERE seq IN ({string.Join(',', rows.Select(r => r.Seq))})", transaction: transaction);
        if (transaction is not null) await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }

    // Blame the head of the batch: the bus delivers in order, so it is the first that failed or the one before it.
    private static Task RecordFailureAsync(DbConnection connection, DbTransaction? transaction, OutboxRow head, Exception error) =>
        connection.ExecuteAsync(
            "UPDATE outbox SET attempts = attempts + 1, last_error = @Error, dead_at = CASE WHEN attempts + 1 >= @Max THEN @Now ELSE NULL END WHERE seq = @Seq",
            new { head.Seq, Error = error.Message, Max = MaxAttempts, Now = DateTimeOffset.UtcNow.ToString("O") }, transaction);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Publishing outbox events failed ({Failures} in a row); retrying")]
    private static partial void LogPublishFailed(ILogger logger, int failures, Exception error);
}
