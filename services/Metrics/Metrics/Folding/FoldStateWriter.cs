using System.Data.Common;
using Dapper;
using Playbooks.Metrics.Folding.State;
using Playbooks.Metrics.Sketches;
using Playbooks.Metrics.Storage;
using Playbooks.Storage;

namespace Playbooks.Metrics.Folding;

/// <summary>Writes what a batch changed: its state rows, its bucket deltas and the progress row, a few statements per table.</summary>
internal static class FoldStateWriter
{
    public static async Task SaveAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, FoldBatch batch, CancellationToken cancellationToken)
    {
        await UpsertAsync(connection, transaction, provider, "metric_runs", RunState.Columns, 1, batch.Runs.Values.Where(r => r.Dirty).Select(r => r.Row), cancellationToken);
        await UpsertAsync(connection, transaction, provider, "metric_outreach_runs", ["account_id", "instance_id", "started_at", "status", "ended_at"], 2,
            batch.Runs.Values.Where(r => r.Dirty && r.DefinitionId == batch.Rules.RenewalOutreachPlaybook).Select(r => new object?[] { r.AccountId, r.InstanceId, r.StartedAt, r.Status, r.EndedAt }),
            cancellationToken);
        await SqlRows.InsertAsync(connection, transaction, provider, "metric_run_steps", ["instance_id", "activity_id"],
            batch.NewSteps.Select(s => new object?[] { s.InstanceId, s.ActivityId }).ToList(), "ON CONFLICT (instance_id, activity_id) DO NOTHING", cancellationToken);
        await UpsertAsync(connection, transaction, provider, "metric_accounts", AccountState.Columns, 1, batch.Accounts.Values.Where(a => a.Dirty).Select(a => a.Row), cancellationToken);
        await UpsertAsync(connection, transaction, provider, "metric_tasks", TaskState.Columns, 1, batch.Tasks.Values.Where(t => t.Dirty).Select(t => t.Row), cancellationToken);
        await UpsertAsync(connection, transaction, provider, "metric_incidents", IncidentState.Columns, 2, batch.Incidents.Values.Where(i => i.Dirty).Select(i => i.Row), cancellationToken);
        await SqlRows.InsertAsync(connection, transaction, provider, "metric_incident_notices", ["incident_id", "account_id", "instance_id", "activity_id"],
            batch.NewNotices.Select(n => new object?[] { n.IncidentId, n.AccountId, n.InstanceId, n.ActivityId }).ToList(),
            "ON CONFLICT (incident_id, account_id, instance_id, activity_id) DO NOTHING", cancellationToken);

        foreach (var rows in batch.Deltas.Counters.GroupBy(d => d.TableName))
        {
            var table = rows.First().Table;
            await SqlRows.InsertAsync(connection, transaction, provider, rows.Key, ["day", .. table.Dimensions, .. table.Values],
                rows.Select(d => (object?[])[d.Day, .. d.Dimensions, .. d.Values.Cast<object>()]).ToList(), table.ConflictClause(rows.Key), cancellationToken);
        }
        foreach (var rows in batch.Deltas.Sketches.GroupBy(d => d.TableName))
            await SaveSketchesAsync(connection, transaction, provider, rows.Key, rows.First().Table, rows.ToList(), cancellationToken);

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
    private static Task UpsertAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, string table, IReadOnlyList<string> columns, int keys,
        IEnumerable<object?[]> rows, CancellationToken cancellationToken) =>
        SqlRows.InsertAsync(connection, transaction, provider, table, columns, rows.ToList(),
            $"ON CONFLICT ({string.Join(", ", columns.Take(keys))}) DO UPDATE SET {string.Join(", ", columns.Skip(keys).Select(c => $"{c} = excluded.{c}"))}",
            cancellationToken);

    // Sketches are read, merged and written back whole: bins cannot be added to in SQL. FoldLock keeps this single-writer.
    private static async Task SaveSketchesAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, string name, SketchTable table,
        IReadOnlyList<SketchDelta> deltas, CancellationToken cancellationToken)
    {
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = $"SELECT bins FROM {name} WHERE {string.Join(" AND ", table.Dimensions.Select((d, i) => $"{d} = @d{i}").Prepend("day = @day"))}";
        var key = new[] { "@day" }.Concat(table.Dimensions.Select((_, i) => $"@d{i}")).Select(parameterName =>
        {
            var parameter = read.CreateParameter();
            parameter.ParameterName = parameterName;
            read.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        var rows = new List<object?[]>(deltas.Count);
        foreach (var delta in deltas)
        {
            key[0].Value = delta.Day;
            for (var i = 0; i < delta.Dimensions.Length; i++) key[i + 1].Value = delta.Dimensions[i];
            var merged = DurationSketch.FromBytes(await read.ExecuteScalarAsync(cancellationToken) as byte[]);
            merged.Merge(delta.Sketch);
            rows.Add([delta.Day, .. delta.Dimensions, merged.Count, merged.ToBytes()]);
        }
        await SqlRows.InsertAsync(connection, transaction, provider, name, ["day", .. table.Dimensions, "samples", "bins"], rows,
            $"ON CONFLICT (day, {string.Join(", ", table.Dimensions)}) DO UPDATE SET samples = excluded.samples, bins = excluded.bins", cancellationToken);
    }
}
