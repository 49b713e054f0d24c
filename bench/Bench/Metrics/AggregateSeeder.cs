using System.Data.Common;
using Playbooks.Metrics.Sketches;
using Playbooks.Metrics.Storage;
using Playbooks.Storage;
using static Playbooks.Bench.Metrics.TenMillionEvents;

namespace Playbooks.Bench.Metrics;

/// <summary>
/// Writes what folding <see cref="TenMillionEvents"/> leaves behind, straight into the tables: every daily and weekly bucket row
/// (with duration sketches holding that row's samples), one fold-state row per run and account. Not written: the raw
/// events and per-run step rows, which only a rebuild and the fold read, never a query.
/// </summary>
internal static class AggregateSeeder
{
    public static async Task<long> SeedAsync(ServiceDatabase database)
    {
        await using var connection = await database.OpenAsync();
        var random = new Random(42);
        long rows = 0;
        var days = Enumerable.Range(0, Days).Select(d => UnixDay.Of(FirstDay.AddDays(d))).ToArray();

        var runKeys = (from day in days from p in Enumerable.Range(0, PlaybookCount) from v in Enumerable.Range(1, Versions) from s in Segments
                       select (day, playbook: PlaybookName(p), version: (long)v, segment: s)).ToList();
        rows += Insert(connection, "metric_run_day", ["day", "definition_id", "version", "segment", "started", "completed", "exited", "faulted", "cancelled", "goal_reached"],
            runKeys.Select((k, i) => new object?[] { k.day, k.playbook, k.version, k.segment, Share(Started, runKeys.Count, i), Share(Completed, runKeys.Count, i),
                Share(Exited, runKeys.Count, i), Share(Faulted, runKeys.Count, i), Share(Cancelled, runKeys.Count, i), Share(GoalsReached, runKeys.Count, i) }));
        // Each row's sketch holds its completed and exited runs, a few hours to a few weeks long.
        rows += Insert(connection, "metric_run_duration_day", ["day", "definition_id", "version", "segment", "samples", "bins"],
            runKeys.Select((k, i) => SketchRow([k.day, k.playbook, k.version, k.segment], Share(Completed + Exited, runKeys.Count, i), 3 * 86_400_000.0, random)));

        var stepKeys = (from day in days from p in Enumerable.Range(0, PlaybookCount) from v in Enumerable.Range(1, Versions) select (day, p, v)).ToList();
        rows += Insert(connection, "metric_step_day", ["day", "definition_id", "version", "activity_id", "activity_type", "reached", "dropped"],
            stepKeys.SelectMany((k, i) => Reached.Select((share, a) => new object?[] { k.day, PlaybookName(k.p), (long)k.v, $"step-{a}", "Activity",
                Share((long)(share * Started), stepKeys.Count, i), Share((long)(Dropped[a] * (Exited + Cancelled)), stepKeys.Count, i) })));

        var variantKeys = (from day in days from p in Enumerable.Range(0, PlaybooksWithVariants) from v in Enumerable.Range(1, Versions) from variant in new[] { "A", "B" }
                           select (day, p, v, variant)).ToList();
        var variantRuns = Started * PlaybooksWithVariants / PlaybookCount;
        rows += Insert(connection, "metric_variant_day", ["day", "definition_id", "version", "variant", "runs", "goal_reached"],
            variantKeys.Select((k, i) => new object?[] { k.day, PlaybookName(k.p), (long)k.v, k.variant, Share(variantRuns, variantKeys.Count, i),
                Share(GoalsReached * PlaybooksWithVariants / PlaybookCount, variantKeys.Count, i) }));

        var taskKeys = (from day in days from c in Enumerable.Range(0, Csms) select (day, csm: $"csm{c}@example.com", team: $"team{c % Teams}")).ToList();
        rows += Insert(connection, "metric_task_day", ["day", "assignee", "team", "created", "completed", "completed_with_due", "completed_on_time", "overdue", "cancelled"],
            taskKeys.Select((k, i) => new object?[] { k.day, k.csm, k.team, Share(TasksCreated, taskKeys.Count, i), Share(TasksCompleted, taskKeys.Count, i),
                Share(TasksCompleted * 7 / 8, taskKeys.Count, i), Share(TasksCompleted * 6 / 8, taskKeys.Count, i), Share(TasksOverdue, taskKeys.Count, i),
                Share(TasksCancelled, taskKeys.Count, i) }));
        rows += Insert(connection, "metric_task_completion_day", ["day", "assignee", "team", "samples", "bins"],
            taskKeys.Select((k, i) => SketchRow([k.day, k.csm, k.team], Share(TasksCompleted, taskKeys.Count, i), 86_400_000.0, random)));

        var channelKeys = (from day in days from c in Channels select (day, c)).ToList();
        rows += Insert(connection, "metric_notification_day", ["day", "channel", "sent", "failed"],
            channelKeys.Select((k, i) => new object?[] { k.day, k.c, Share(NotificationsSent, channelKeys.Count, i), Share(NotificationsFailed, channelKeys.Count, i) }));
        var incidentKeys = (from day in days from s in Severities select (day, s)).ToList();
        rows += Insert(connection, "metric_incident_day", ["day", "severity", "opened", "noticed", "updates", "timed_updates", "on_cadence"],
            incidentKeys.Select(k => new object?[] { k.day, k.s, 1L, 1L, 3L, k.s is "SEV-1" or "SEV-2" ? 3L : 0L, k.s is "SEV-1" or "SEV-2" ? 2L : 0L }));
        rows += Insert(connection, "metric_first_notice_day", ["day", "severity", "samples", "bins"],
            incidentKeys.Select(k => SketchRow([k.day, k.s], 1, 20 * 60_000.0, random)));

        rows += SeedWeeksAndRollups(connection);
        rows += SeedAccountsAndRuns(connection, days, random);
        rows += Insert(connection, "metric_progress", ["id", "events_folded", "newest_event_at"], [[1L, Total, days[^1] + 86_399_000]]);
        return rows;
    }

    // Fold state as a year of runs leaves it: accounts with renewal dates through the year, every run with its account and
    // status, and the renewal outreach runs that coverage reads.
    private static long SeedAccountsAndRuns(DbConnection connection, long[] days, Random random)
    {
        long rows = Insert(connection, "metric_accounts", ["account_id", "segment", "owner_csm", "team", "renewal_at", "updated_at"],
            Enumerable.Range(0, Accounts).Select(a => new object?[] { $"account-{a}", Segments[a % Segments.Length], $"csm{a % Csms}@example.com",
                $"team{a % Csms % Teams}", days[0] + random.Next(Days + 90) * UnixDay.Milliseconds, days[0] }));
        rows += Insert(connection, "metric_runs", ["instance_id", "definition_id", "version", "account_id", "segment", "variant", "started_at", "start_counted",
                "status", "ended_at", "faulted_at", "goal_at", "last_activity", "last_activity_type"],
            Enumerable.Range(0, Runs).Select(r => RunOf(r, days)).Select(run => new object?[] { run.Id, run.Playbook, run.Version, run.Account, run.Segment,
                null, run.StartedAt, 1L, run.Status, run.EndedAt, null, null, "step-4", "Activity" }));
        rows += Insert(connection, "metric_outreach_runs", ["account_id", "instance_id", "started_at", "status", "ended_at"],
            Enumerable.Range(0, Runs / PlaybookCount).Select(i => RunOf(i * PlaybookCount, days))
                .Select(run => new object?[] { run.Account, run.Id, run.StartedAt, run.Status, run.EndedAt }));
        return rows;
    }

    private static readonly string[] Statuses = ["completed", "completed", "completed", "completed", "completed", "completed", "exited", "exited", "cancelled", "running"];

    // A function of the run's number, so the runs table and the outreach table describe the same runs.
    private static (string Id, string Playbook, long Version, string Account, string Segment, long StartedAt, string Status, long? EndedAt) RunOf(int r, long[] days)
    {
        var random = new Random(r);
        var startedAt = days[random.Next(Days)] + random.Next(86_400_000);
        var status = Statuses[r % Statuses.Length];
        return ($"run-{r}", PlaybookName(r % PlaybookCount), 1L + r % Versions, $"account-{random.Next(Accounts)}", Segments[r % Segments.Length], startedAt, status,
            status == "running" ? null : startedAt + random.Next(1, 30) * 86_400_000L);
    }

    // What the fold writes to the weekly tables and the sketch rollups is the sum (counters) and merge (sketches) of the
    // daily rows they cover.
    private static long SeedWeeksAndRollups(DbConnection connection)
    {
        long rows = 0;
        foreach (var table in BucketTables.Counters)
        {
            var dimensions = string.Join(", ", table.Dimensions);
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                INSERT INTO {table.WeekName} (day, {dimensions}, {string.Join(", ", table.Values)})
                SELECT {UnixDay.WeekOfDaySql}, {dimensions}, {string.Join(", ", table.Values.Select(v => $"SUM({v})"))}
                FROM {table.Name} GROUP BY {UnixDay.WeekOfDaySql}, {dimensions}
                """;
            rows += command.ExecuteNonQuery();
        }
        foreach (var table in BucketTables.Sketches)
        {
            foreach (var rollup in table.Rollups ?? []) rows += MergeSketches(connection, table.Name, rollup.Name, "day", rollup.Dimensions);
            foreach (var level in table.Levels) rows += MergeSketches(connection, level.Name, level.WeekName, UnixDay.WeekOfDaySql, level.Dimensions);
        }
        return rows;
    }

    private static long MergeSketches(DbConnection connection, string from, string into, string day, IReadOnlyList<string> dimensions)
    {
        var merged = new Dictionary<string, (object?[] Key, DurationSketch Sketch)>();
        using (var read = connection.CreateCommand())
        {
            read.CommandText = $"SELECT {day}, {string.Join(", ", dimensions)}, bins FROM {from}";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                var key = Enumerable.Range(0, 1 + dimensions.Count).Select(reader.GetValue).ToArray();
                var id = string.Join('\u001f', key);
                if (!merged.TryGetValue(id, out var entry)) merged[id] = entry = (key, new DurationSketch());
                entry.Sketch.Merge((byte[])reader.GetValue(1 + dimensions.Count));
            }
        }
        return Insert(connection, into, ["day", .. dimensions, "samples", "bins"], merged.Values.Select(m => (object?[])[.. m.Key, m.Sketch.Count, m.Sketch.ToBytes()]));
    }

    private static object?[] SketchRow(object[] key, long samples, double typicalMs, Random random)
    {
        var sketch = new DurationSketch();
        // Log-normal: most near the typical length, a long tail.
        for (var i = 0; i < samples; i++) sketch.Add((long)(typicalMs * Math.Exp(0.8 * Normal(random))));
        return [.. key, sketch.Count, sketch.ToBytes()];
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    // One transaction and one prepared statement per table: the fastest way SQLite takes rows.
    private static long Insert(DbConnection connection, string table, string[] columns, IEnumerable<object?[]> rows)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@c{i}"))})";
        var parameters = columns.Select((_, i) =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@c{i}";
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        long count = 0;
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++) parameters[i].Value = row[i] ?? DBNull.Value;
            command.ExecuteNonQuery();
            count++;
        }
        transaction.Commit();
        return count;
    }
}
