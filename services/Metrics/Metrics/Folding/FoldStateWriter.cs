using System.Data.Common;
using Dapper;
using Playbooks.Metrics.Folding.State;
using Playbooks.Metrics.Sketches;
using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Folding;

/// <summary>Writes what a batch changed: its state rows, its bucket deltas and the progress row, a few statements per table.</summary>
internal static class FoldStateWriter
{
    public static async Task SaveAsync(DbConnection connection, DbTransaction transaction, FoldBatch batch, CancellationToken cancellationToken)
    {
        await UpsertAsync(connection, transaction, "metric_runs", RunState.Columns, 1, batch.Runs.Values.Where(r => r.Dirty).Select(r => r.Row), cancellationToken);
        await SqlRows.InsertAsync(connection, transaction, "metric_run_steps", ["instance_id", "activity_id"],
            batch.NewSteps.Select(s => new object?[] { s.InstanceId, s.ActivityId }).ToList(), "ON CONFLICT (instance_id, activity_id) DO NOTHING", cancellationToken);
        await UpsertAsync(connection, transaction, "metric_accounts", AccountState.Columns, 1, batch.Accounts.Values.Where(a => a.Dirty).Select(a => a.Row), cancellationToken);
        await UpsertAsync(connection, transaction, "metric_tasks", TaskState.Columns, 1, batch.Tasks.Values.Where(t => t.Dirty).Select(t => t.Row), cancellationToken);
        await UpsertAsync(connection, transaction, "metric_incidents", IncidentState.Columns, 2, batch.Incidents.Values.Where(i => i.Dirty).Select(i => i.Row), cancellationToken);
        await SqlRows.InsertAsync(connection, transaction, "metric_incident_notices", ["incident_id", "account_id", "instance_id", "activity_id"],
            batch.NewNotices.Select(n => new object?[] { n.IncidentId, n.AccountId, n.InstanceId, n.ActivityId }).ToList(),
            "ON CONFLICT (incident_id, account_id, instance_id, activity_id) DO NOTHING", cancellationToken);

        foreach (var table in batch.Deltas.Counters.GroupBy(d => d.Table))
            await SqlRows.InsertAsync(connection, transaction, table.Key.Name, ["day", .. table.Key.Dimensions, .. table.Key.Values],
                table.Select(d => (object?[])[d.Day, .. d.Dimensions, .. d.Values.Cast<object>()]).ToList(), table.Key.ConflictClause, cancellationToken);
        foreach (var table in batch.Deltas.Sketches.GroupBy(d => d.Table))
            await SaveSketchesAsync(connection, transaction, table.Key, table.ToList(), cancellationToken);

        if (batch.Folded > 0)
            await connection.ExecuteAsync(
                """
                INSERT INTO metric_progress (id, events_folded, newest_event_at) VALUES (1, @Folded, @NewestAt)
                ON CONFLICT (id) DO UPDATE SET events_folded = metric_progress.events_folded + excluded.events_folded,
                    newest_event_at = CASE WHEN excluded.newest_event_at > metric_progress.newest_event_at THEN excluded.newest_event_at ELSE metric_progress.newest_event_at END
                """,
                new { batch.Folded, batch.NewestAt }, transaction);
    }

    /// <summary>Inserts or replaces whole rows; the first <paramref name="keys"/> columns are the primary key.</summary>
    private static Task UpsertAsync(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns, int keys,
        IEnumerable<object?[]> rows, CancellationToken cancellationToken) =>
        SqlRows.InsertAsync(connection, transaction, table, columns, rows.ToList(),
            $"ON CONFLICT ({string.Join(", ", columns.Take(keys))}) DO UPDATE SET {string.Join(", ", columns.Skip(keys).Select(c => $"{c} = excluded.{c}"))}",
            cancellationToken);

    // Sketches are read, merged and written back whole: bins cannot be added to in SQL. FoldLock keeps this single-writer.
    private static async Task SaveSketchesAsync(DbConnection connection, DbTransaction transaction, SketchTable table, IReadOnlyList<SketchDelta> deltas, CancellationToken cancellationToken)
    {
        var match = string.Join(" AND ", table.Dimensions.Select((d, i) => $"{d} = @d{i}").Prepend("day = @day"));
        var rows = new List<object?[]>(deltas.Count);
        foreach (var delta in deltas)
        {
            var parameters = new DynamicParameters(new { day = delta.Day });
            for (var i = 0; i < delta.Dimensions.Length; i++) parameters.Add($"d{i}", delta.Dimensions[i]);
            var stored = await connection.QuerySingleOrDefaultAsync<byte[]>($"SELECT bins FROM {table.Name} WHERE {match}", parameters, transaction);
            var merged = DurationSketch.FromBytes(stored);
            merged.Merge(delta.Sketch);
            rows.Add([delta.Day, .. delta.Dimensions, merged.Count, merged.ToBytes()]);
        }
        await SqlRows.InsertAsync(connection, transaction, table.Name, ["day", .. table.Dimensions, "samples", "bins"], rows,
            $"ON CONFLICT (day, {string.Join(", ", table.Dimensions)}) DO UPDATE SET samples = excluded.samples, bins = excluded.bins", cancellationToken);
    }
}
