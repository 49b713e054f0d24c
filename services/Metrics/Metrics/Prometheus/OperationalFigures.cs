using Dapper;
using Playbooks.Storage;

namespace Playbooks.Metrics.Prometheus;

/// <summary>The figures SREs scrape, read from the buckets and fold state (all-time sums; no raw event is read).</summary>
internal sealed class OperationalFigures(ServiceDatabase database)
{
    public async Task<Snapshot> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var runs = await connection.QueryAsync<PlaybookRuns>(new CommandDefinition(
            """
            SELECT definition_id AS Playbook, CAST(SUM(started) AS BIGINT) AS Started, CAST(SUM(completed) AS BIGINT) AS Completed,
                CAST(SUM(exited) AS BIGINT) AS Exited, CAST(SUM(cancelled) AS BIGINT) AS Cancelled, CAST(SUM(faulted) AS BIGINT) AS Faulted
            FROM metric_run_day GROUP BY definition_id ORDER BY definition_id
            """, cancellationToken: cancellationToken));
        var overdue = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM metric_tasks WHERE overdue_at IS NOT NULL AND closed_at IS NULL", cancellationToken: cancellationToken));
        var failures = await connection.QueryAsync<(string Channel, long Failed)>(new CommandDefinition(
            "SELECT channel, CAST(SUM(failed) AS BIGINT) FROM metric_notification_day GROUP BY channel ORDER BY channel", cancellationToken: cancellationToken));
        var progress = (await connection.QueryAsync<(long Folded, long NewestAt)>(new CommandDefinition(
            "SELECT events_folded, newest_event_at FROM metric_progress WHERE id = 1", cancellationToken: cancellationToken))).ToList();
        return progress is [var folded]
            ? new Snapshot(runs.ToList(), overdue, failures.ToList(), folded.Folded, folded.NewestAt)
            : new Snapshot(runs.ToList(), overdue, failures.ToList(), 0, null);
    }

    public sealed record Snapshot(IReadOnlyList<PlaybookRuns> Runs, long TasksOverdue, IReadOnlyList<(string Channel, long Failed)> DeliveryFailures,
        long EventsFolded, long? NewestEventAt);

    public sealed class PlaybookRuns
    {
        public string Playbook { get; set; } = "";
        public long Started { get; set; }
        public long Completed { get; set; }
        public long Exited { get; set; }
        public long Cancelled { get; set; }
        public long Faulted { get; set; }

        /// <summary>Started and not yet ended: waiting runs and faulted runs awaiting a retry included.</summary>
        public long Running => Math.Max(0, Started - Completed - Exited - Cancelled);
    }
}
