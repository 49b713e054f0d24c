using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Playbooks.Storage;

namespace Playbooks.Messaging.Inbox;

/// <summary>
/// Forgets handled events older than <see cref="InboxRetention.KeepHandled"/>: without it the inbox grows by a row for
/// every event a service handles, for ever. Every replica runs it; deletions side by side are harmless.
/// </summary>
public sealed partial class InboxPruner(ServiceDatabase database, InboxRetention retention, TimeProvider time, ILogger<InboxPruner> logger) : BackgroundService
{
    // Small enough that a deletion holds its locks and its WAL briefly while consumers keep inserting.
    private const int RowsPerDeletion = 5_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first pass waits a little, so it does not compete with start-up (migrations, the outbox's sweep).
        var wait = TimeSpan.FromMinutes(1);
        while (true)
        {
            try { await Task.Delay(wait, time, stoppingToken); }
            catch (OperationCanceledException) { return; }
            wait = retention.PruneEvery;
            try
            {
                var forgotten = await PruneAsync(database, time.GetUtcNow() - retention.KeepHandled, stoppingToken);
                if (forgotten > 0) LogPruned(logger, forgotten, database.Schema, retention.KeepHandled);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                LogPruneFailed(logger, error, database.Schema);
            }
        }
    }

    /// <summary>Deletes the inbox's entries received before <paramref name="before"/>, a few thousand per statement; returns how many.</summary>
    public static async Task<long> PruneAsync(ServiceDatabase database, DateTimeOffset before, CancellationToken cancellationToken)
    {
        // received_at is ISO 8601 in UTC ("O"), so text order is time order and the index on it serves the range.
        var cutoff = before.ToUniversalTime().ToString("O");
        long forgotten = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM inbox WHERE event_id IN (SELECT event_id FROM inbox WHERE received_at < @cutoff ORDER BY received_at LIMIT @limit)",
                new { cutoff, limit = RowsPerDeletion }, cancellationToken: cancellationToken));
            forgotten += deleted;
            if (deleted < RowsPerDeletion) break;
        }
        return forgotten;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Forgot {Count} handled events older than {KeepHandled} from {Schema}'s inbox")]
    private static partial void LogPruned(ILogger logger, long count, string schema, TimeSpan keepHandled);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Pruning {Schema}'s inbox failed; trying again at the next pass")]
    private static partial void LogPruneFailed(ILogger logger, Exception error, string schema);
}
