using Dapper;
using Npgsql;
using Playbooks.Distributed.Tests.Support;
using Playbooks.Storage;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// The hot path's statements keep the generic plan a connection made the first time it ran them
/// (<see cref="GenericPlans"/>). A lookup by key must stay a lookup by key however small its table was then: a fresh
/// database's first runs plan it while the table holds a few pages, and a plan that scans the table then cost every
/// later start a read of the whole table.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class GenericPlansTests(DistributedCluster cluster)
{
    private const string Lookup = "SELECT id FROM runs WHERE id = ANY($1)";

    [Fact]
    public async Task A_lookup_planned_while_its_table_was_small_stays_an_index_lookup_once_the_table_has_grown()
    {
        var name = $"generic_plans_{Guid.NewGuid().ToString("N")[..8]}";
        await cluster.Postgres.CreateDatabaseAsync(name);
        var connectionString = cluster.Postgres.ConnectionString(name);
        await using (var setUp = new NpgsqlConnection(connectionString))
        {
            // A new install's first minute: a few runs, and autovacuum has analysed the table at that size.
            await setUp.ExecuteAsync("""
                CREATE TABLE runs (id TEXT PRIMARY KEY, state TEXT NOT NULL);
                INSERT INTO runs SELECT md5(n::text), repeat('x', 300) FROM generate_series(1, 150) AS n;
                ANALYZE runs;
                """);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await LookUpAsync(connection);
        // A day of runs later, before autovacuum analyses the table again.
        await connection.ExecuteAsync("INSERT INTO runs SELECT md5(n::text), repeat('x', 300) FROM generate_series(151, 20150) AS n");
        await LookUpAsync(connection);

        // The plan the connection keeps for the lookup, as the hot path's next transaction would run it.
        var statement = await connection.ExecuteScalarAsync<string>("SELECT name FROM pg_prepared_statements WHERE statement = @Lookup", new { Lookup });
        Assert.NotNull(statement);
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SET LOCAL plan_cache_mode = force_generic_plan", transaction: transaction);
        var plan = string.Join('\n', await connection.QueryAsync<string>($"EXPLAIN (ANALYZE, BUFFERS) EXECUTE {statement}('{{a,b}}')", transaction: transaction));
        Assert.DoesNotContain("Seq Scan", plan);
        Assert.Contains("runs_pkey", plan);
    }

    [Fact]
    public async Task A_statement_with_no_index_to_use_is_not_compiled_on_the_hot_path()
    {
        var name = $"generic_plans_{Guid.NewGuid().ToString("N")[..8]}";
        await cluster.Postgres.CreateDatabaseAsync(name);
        await using var connection = new NpgsqlConnection(cluster.Postgres.ConnectionString(name));
        await connection.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE playbooks (id TEXT PRIMARY KEY, latest_version INT NOT NULL); INSERT INTO playbooks VALUES ('kickoff', 3), ('renewal', 1)");

        // Ruling out scans inflates the estimate of a statement that must scan (a sum over a few playbooks) past the point
        // where PostgreSQL compiles it to machine code: tens of milliseconds for a statement that takes microseconds.
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { new NpgsqlBatchCommand("EXPLAIN (ANALYZE) SELECT SUM(latest_version) FROM playbooks") } };
        await using var reader = await batch.InTransaction().ExecuteReaderAsync();
        var plan = new List<string>();
        while (await reader.ReadAsync()) plan.Add(reader.GetString(0));

        Assert.Contains(plan, line => line.Contains("Seq Scan", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.StartsWith("JIT", StringComparison.Ordinal));
    }

    private static async Task LookUpAsync(NpgsqlConnection connection)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { new NpgsqlBatchCommand(Lookup) { Parameters = { new() { Value = new[] { "a", "b" } } } } } };
        await batch.InTransaction().PrepareAsync();
        await using var reader = await batch.ExecuteReaderAsync();
        while (await reader.ReadAsync()) { }
    }
}
