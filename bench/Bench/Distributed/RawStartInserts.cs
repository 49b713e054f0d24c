using System.Diagnostics;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Storage;
using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;
using Playbooks.Storage;

namespace Playbooks.Bench.Distributed;

/// <summary>
/// The raw ceiling for durable starts: the rows one start writes (its instance row, bookmark, journal lines and outbox
/// events, taken from a real run of the same playbook), inserted with no engine in the way — plain batched INSERTs of
/// <see cref="Batch"/> starts' rows per table and commit, into copies of the engine's tables (same columns, keys and
/// indexes) in the same database. Row data is built before the clock starts, so only the database is measured.
/// </summary>
internal static class RawStartInserts
{
    public const int Batch = 100;
    private const int Starts = 10_000;

    public static async Task<(double StartsPerSecond, double RowsPerSecond, int RowsPerStart)> MeasureAsync(
        WebApplication app, CompiledPlaybook playbook, AccountSnapshot account, string connectionString, int connections, CancellationToken cancellationToken)
    {
        var (state, template, effects, events) = await TemplateAsync(app, playbook, account);
        var schema = app.Services.GetRequiredService<ServiceDatabase>().Schema;
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync(cancellationToken);
            await setup.ExecuteAsync("CREATE SCHEMA IF NOT EXISTS bench");
            foreach (var table in new[] { "instances", "bookmarks", "journal", "outbox" })
                await setup.ExecuteAsync($"DROP TABLE IF EXISTS bench.{table}; CREATE TABLE bench.{table} (LIKE \"{schema}\".{table} INCLUDING ALL)");
        }

        var batches = Enumerable.Range(0, Starts / Batch).Select(b => Rows(b * Batch, state, template, effects.Journal, events)).ToList();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            int i;
            while ((i = Interlocked.Increment(ref next)) < batches.Count)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using var batch = new NpgsqlBatch(connection, transaction);
                foreach (var command in batches[i]) batch.BatchCommands.Add(command);
                await batch.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }, cancellationToken)));
        var seconds = clock.Elapsed.TotalSeconds;
        var rowsPerStart = 1 + template.Bookmarks.Count + effects.Journal.Count + events.Count;
        return (Starts / seconds, Starts * rowsPerStart / seconds, rowsPerStart);
    }

    // One real start of the playbook, run by the engine's executor: the rows every raw "start" copies.
    private static async Task<(string State, InstanceState Instance, RunEffects Effects, List<EventEnvelope> Events)> TemplateAsync(
        WebApplication app, CompiledPlaybook playbook, AccountSnapshot account)
    {
        var now = DateTimeOffset.UtcNow;
        var instance = new InstanceState
        {
            Id = Guid.CreateVersion7().ToString("N"), DefinitionId = playbook.DefinitionId, Version = playbook.Version, AccountId = account.Id,
            CreatedAt = now, UpdatedAt = now, Revision = 1,
        };
        var effects = await app.Services.GetRequiredService<PlaybookExecutor>().StartAsync(playbook, instance, new RunContext(account, null, now, simulating: false));
        var events = effects.Events.Select(e => EventEnvelopeFactory.Create(e.Type, "engine", account.Id, e.Data, now)).ToList();
        return (EngineJson.Serialize(instance), instance, effects, events);
    }

    private static List<NpgsqlBatchCommand> Rows(int first, string state, InstanceState template, List<JournalEntry> journal, List<EventEnvelope> events)
    {
        var ids = Enumerable.Range(first, Batch).Select(n => $"raw-{n:D7}").ToArray();
        string[] Each<T>(IEnumerable<T> perStart, Func<string, T, string?> value) => ids.SelectMany(id => perStart.Select(item => value(id, item)!)).ToArray();
        long[] EachMillis<T>(IEnumerable<T> perStart, Func<T, long> value) => ids.SelectMany(_ => perStart.Select(value)).ToArray();
        var at = EngineJson.Millis(template.CreatedAt);
        return
        [
            Command("""
                INSERT INTO bench.instances (id, definition_id, version, account_id, status, state, revision, created_at, updated_at, ended_at)
                SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::bigint[], $9::bigint[], $10::bigint[])
                """,
                Text(ids), Text(ids.Select(_ => template.DefinitionId)), Ints(ids.Select(_ => template.Version)), Text(ids.Select(_ => template.AccountId)),
                Text(ids.Select(_ => "running")), Text(ids.Select(_ => state)), Ints(ids.Select(_ => 1)), Longs(ids.Select(_ => (long?)at)),
                Longs(ids.Select(_ => (long?)at)), Longs(ids.Select(_ => (long?)null))),
            Command("""
                INSERT INTO bench.bookmarks (id, instance_id, activity_id, kind, key, due_at)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
                """,
                Text(Each(template.Bookmarks, (id, b) => $"{id}-{b.Id}")), Text(Each(template.Bookmarks, (id, _) => id)),
                Text(Each(template.Bookmarks, (_, b) => b.ActivityId)), Text(Each(template.Bookmarks, (_, b) => b.Kind)),
                Text(Each(template.Bookmarks, (id, b) => $"{b.Key}-{id}")), Longs(ids.SelectMany(_ => template.Bookmarks.Select(_ => (long?)null)))),
            Command("""
                INSERT INTO bench.journal (instance_id, activity_id, activity_type, status, outcome, inputs, output, error, started_at, ended_at)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[])
                """,
                Text(Each(journal, (id, _) => id)), Text(Each(journal, (_, j) => j.ActivityId)), Text(Each(journal, (_, j) => j.ActivityType)),
                Text(Each(journal, (_, j) => j.Status)), Text(Each(journal, (_, j) => j.Outcome)), Text(Each(journal, (_, j) => j.Inputs?.ToJsonString())),
                Text(Each(journal, (_, j) => j.Output?.ToJsonString())), Text(Each(journal, (_, j) => j.Error)),
                Longs(EachMillis(journal, j => EngineJson.Millis(j.StartedAt)).Select(m => (long?)m)), Longs(EachMillis(journal, j => EngineJson.Millis(j.EndedAt)).Select(m => (long?)m))),
            Command("""
                INSERT INTO bench.outbox (id, type, source, account_id, occurred_at, data, trace_parent)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                """,
                Text(Each(events, (id, e) => $"{id}-{e.Id}")), Text(Each(events, (_, e) => e.Type)), Text(Each(events, (_, e) => e.Source)),
                Text(Each(events, (_, e) => e.AccountId)), Text(Each(events, (_, e) => e.OccurredAt.ToString("O"))), Text(Each(events, (_, e) => e.Data.GetRawText())),
                Text(Each(events, (_, e) => e.TraceParent))),
        ];
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Text(IEnumerable<string?> values) => new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter Ints(IEnumerable<int> values) => new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer };

    private static NpgsqlParameter Longs(IEnumerable<long?> values) => new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };
}
