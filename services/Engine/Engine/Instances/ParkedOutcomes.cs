using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Playbooks.Engine.Storage;
using Playbooks.Storage;

namespace Playbooks.Engine.Instances;

/// <summary>
/// Task outcomes kept for a WaitForTask that has not come yet (<c>pending_stimuli</c>) are for runs that can still wait:
/// running, or faulted and so able to be retried. A run that completed, exited or was cancelled never waits again, so an
/// outcome for it (a CSM closing the task after a renewal was signed) is not kept, and one kept just before its run
/// ended is swept away within the hour. Without this the table grew by a row for each.
/// <para>
/// A kept outcome whose run now waits on it is applied in a commit of its own after the commit that began the wait. If
/// the replica died, stopped or failed in between, the outcome is still kept (it goes with the commit that applies it),
/// and every few seconds this hands such outcomes to their runs.
/// </para>
/// </summary>
public sealed partial class ParkedOutcomes(ServiceDatabase database, InstanceRuntime runtime, TimeProvider time, ILogger<ParkedOutcomes> logger) : BackgroundService
{
    private const int RowsPerDeletion = 5_000;
    private static readonly TimeSpan SweepEvery = TimeSpan.FromHours(1);
    private static readonly TimeSpan DeliverEvery = TimeSpan.FromSeconds(15);

    // Kept outcomes younger than this stay, whatever their run's status: a margin for a run's commit and an outcome
    // arriving in the same moment.
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(10);

    // The statuses of a run that may still reach a WaitForTask: running, or faulted (a retry runs it on).
    private const string MayStillWait = "status IN ('running', 'faulted')";

    /// <summary>The run a task outcome's key names (<see cref="Execution.Bookmark.TaskKey"/>: <c>task:{run}:{task}</c>; run ids hold no colon).</summary>
    public static string RunOf(string taskKey) => taskKey.Split(':', 3)[1];

    /// <summary>Whether the run may still wait on an outcome: it exists, with a status in <see cref="MayStillWait"/>.</summary>
    public static async Task<bool> MayStillWaitAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string taskKey) =>
        await connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM instances WHERE id = @id AND {MayStillWait}", new { id = RunOf(taskKey) }, transaction) > 0;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first sweep waits a little, so it does not compete with start-up.
        var sweepAt = time.GetUtcNow() + TimeSpan.FromMinutes(1);
        while (true)
        {
            try { await Task.Delay(DeliverEvery, time, stoppingToken); }
            catch (OperationCanceledException) { return; }
            try
            {
                var delivered = await DeliverWaitedForAsync(database, runtime, stoppingToken);
                if (delivered > 0) LogDelivered(logger, delivered);
                if (time.GetUtcNow() < sweepAt) continue;
                sweepAt = time.GetUtcNow() + SweepEvery;
                var swept = await SweepAsync(database, time.GetUtcNow() - Margin, stoppingToken);
                if (swept > 0) LogSwept(logger, swept);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, error);
            }
        }
    }

    /// <summary>
    /// Hands kept outcomes to the running runs that wait on them, oldest first; returns how many were applied. Handing one
    /// over twice is harmless: it is applied under its event's id, once. The run is looked up per kept outcome (by the
    /// bookmarks' key index): as EXISTS, the planner joined every bookmark to every run, 8,800 buffers a pass with
    /// nothing kept, in the distributed benchmark.
    /// </summary>
    public static async Task<int> DeliverWaitedForAsync(ServiceDatabase database, InstanceRuntime runtime, CancellationToken cancellationToken)
    {
        List<(string Id, string Key, string Kind, string? Payload, long At)> waitedFor;
        await using (var connection = await database.OpenAsync(cancellationToken))
            waitedFor = (await connection.QueryAsync<(string, string, string, string?, long)>(new CommandDefinition(
                """
                SELECT p.id, p.key, p.kind, p.payload, p.at FROM pending_stimuli p
                WHERE (SELECT i.status FROM bookmarks b JOIN instances i ON i.id = b.instance_id WHERE b.key = p.key LIMIT 1) = 'running'
                ORDER BY p.at LIMIT 500
                """, cancellationToken: cancellationToken))).ToList();
        var delivered = 0;
        foreach (var (id, key, kind, payload, at) in waitedFor)
        {
            var stimulus = new Execution.Stimulus(kind, key, payload is null ? null : System.Text.Json.Nodes.JsonNode.Parse(payload), EngineJson.At(at));
            if (await runtime.DeliverAsync(stimulus, id, cancellationToken) > 0) delivered++;
        }
        return delivered;
    }

    /// <summary>Deletes outcomes kept before <paramref name="before"/> whose run will not wait again; returns how many.</summary>
    public static async Task<long> SweepAsync(ServiceDatabase database, DateTimeOffset before, CancellationToken cancellationToken)
    {
        // The run's id is the key's second part; PostgreSQL and SQLite spell "the text between the first two colons" differently.
        var run = database.Provider == DatabaseProvider.Postgres ? "split_part(p.key, ':', 2)" : "substr(p.key, 6, instr(substr(p.key, 6), ':') - 1)";
        long swept = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                $"""
                DELETE FROM pending_stimuli WHERE id IN (
                    SELECT p.id FROM pending_stimuli p
                    WHERE p.at < @before AND NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = {run} AND i.{MayStillWait})
                    LIMIT @limit)
                """,
                new { before = EngineJson.Millis(before), limit = RowsPerDeletion }, cancellationToken: cancellationToken));
            swept += deleted;
            if (deleted < RowsPerDeletion) break;
        }
        return swept;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Swept {Count} task outcomes kept for runs that have ended")]
    private static partial void LogSwept(ILogger logger, long count);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Applied {Count} kept task outcomes whose runs were waiting on them")]
    private static partial void LogDelivered(ILogger logger, int count);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Handing over or sweeping kept task outcomes failed; trying again at the next pass")]
    private static partial void LogSweepFailed(ILogger logger, Exception error);
}
