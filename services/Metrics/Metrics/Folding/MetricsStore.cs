using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Playbooks.Messaging;
using Playbooks.Messaging.Inbox;
using Playbooks.Metrics.Storage;
using Playbooks.Storage;

namespace Playbooks.Metrics.Folding;

/// <summary>
/// The write side: folds batches of events (inbox, raw event and aggregates in one transaction, so a redelivered event
/// counts once and a crash keeps all or none of a batch) and rebuilds the aggregates from the stored events.
/// </summary>
internal sealed partial class MetricsStore(ServiceDatabase database, EventFold fold, TimeProvider time, ILogger<MetricsStore> logger)
{
    private const int ReplayPageSize = 1000;

    // In-process half of the single-writer rule (FoldLock is the cross-replica half): folds and a rebuild take turns.
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>Folds the events not seen before, in order; returns how many that was.</summary>
    public async Task<int> FoldAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // A fold reads and writes its state rows by key. Left to choose, PostgreSQL read whole tables for those lookups
            // once they held a few thousand runs (100–145 pages a lookup, growing with the table).
            if (database.Provider == DatabaseProvider.Postgres)
                await connection.ExecuteAsync(KeyedLookups.Sql, transaction: transaction);
            await FoldLock.TakeAsync(connection, transaction, database.Provider);
            var accepted = await Inbox.AcceptManyAsync(connection, transaction, database.Provider, events.Select(e => e.Id), time.GetUtcNow());
            var first = new HashSet<string>(StringComparer.Ordinal);
            var fresh = events.Where(e => accepted.Contains(e.Id) && first.Add(e.Id)).ToList();
            if (fresh.Count > 0)
            {
                await RawEventLog.AppendAsync(connection, transaction, database.Provider, fresh, cancellationToken);
                await fold.ApplyAsync(connection, transaction, fresh, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return fresh.Count;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Empties everything derived from the stored events and folds them again in their original order, in one transaction.</summary>
    public async Task<RebuildResult> RebuildAsync(CancellationToken cancellationToken)
    {
        // Elapsed work time for the report, not a business time: a stopwatch, not the injected clock.
        var stopwatch = Stopwatch.StartNew();
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await FoldLock.TakeAsync(connection, transaction, database.Provider);
            foreach (var table in MetricsMigrations.DerivedTables)
                await connection.ExecuteAsync($"DELETE FROM {table}", transaction: transaction);
            long replayed = 0, afterSeq = 0;
            while (true)
            {
                var page = await RawEventLog.PageAsync(connection, transaction, afterSeq, ReplayPageSize);
                if (page.Count == 0) break;
                await fold.ApplyAsync(connection, transaction, page.Select(p => p.Envelope).ToList(), cancellationToken);
                afterSeq = page[^1].Seq;
                replayed += page.Count;
            }
            await transaction.CommitAsync(cancellationToken);
            LogRebuilt(logger, replayed, stopwatch.ElapsedMilliseconds);
            return new RebuildResult(replayed, stopwatch.ElapsedMilliseconds);
        }
        finally
        {
            _writer.Release();
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Rebuilt the metrics from {Events} stored events in {Milliseconds} ms")]
    private static partial void LogRebuilt(ILogger logger, long events, long milliseconds);
}

/// <summary>What <c>POST /api/metrics/rebuild</c> answers.</summary>
public sealed record RebuildResult(long EventsReplayed, long TookMs);
