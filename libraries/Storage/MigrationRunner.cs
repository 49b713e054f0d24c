using System.Data.Common;
using Dapper;

namespace Playbooks.Storage;

/// <summary>Applies a service's migrations that its database has not seen yet, each in its own transaction.</summary>
public static class MigrationRunner
{
    public static async Task<IReadOnlyList<int>> ApplyAsync(ServiceDatabase database, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string MigrationsTable = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
            await connection.ExecuteAsync(MigrationsTable);
        }
        else
        {
            // Replicas starting together on an empty database: IF NOT EXISTS is not safe against a concurrent CREATE
            // (it fails on the catalogue's unique index), so the schema and the migrations table are made under the lock too.
            await using var setup = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@schema))", new { schema = database.Schema }, setup);
            await connection.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS \"{database.Schema}\"", transaction: setup);
            await connection.ExecuteAsync(MigrationsTable, transaction: setup);
            await setup.CommitAsync(cancellationToken);
        }

        var applied = new List<int>();
        foreach (var migration in migrations.OrderBy(m => m.Version))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Replicas starting together: the first applies, the others wait here and then skip.
            if (database.Provider == DatabaseProvider.Postgres)
                await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@schema))", new { schema = database.Schema }, transaction);
            var done = await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @Version", new { migration.Version }, transaction);
            if (done == 0)
            {
                await connection.ExecuteAsync(migration.For(database.Provider), transaction: transaction);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                    new { migration.Version, migration.Name, At = DateTimeOffset.UtcNow.ToString("O") }, transaction);
                applied.Add(migration.Version);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return applied;
    }

    public static async Task<int> CurrentVersionAsync(DbConnection connection) =>
        await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_migrations") ?? 0;
}
