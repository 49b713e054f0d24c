using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Playbooks.Storage;

/// <summary>
/// Where one service keeps its state. Stores open short-lived connections from it; both providers pool them.
/// </summary>
public sealed class ServiceDatabase
{
    private readonly string _connectionString;

    private ServiceDatabase(DatabaseProvider provider, string schema, string connectionString, string description)
    {
        Provider = provider;
        Schema = schema;
        _connectionString = connectionString;
        Description = description;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The service's name: its SQLite file name or its PostgreSQL schema.</summary>
    public string Schema { get; }

    /// <summary>Where the data is, without secrets, for error messages and logs.</summary>
    public string Description { get; }

    public static ServiceDatabase Sqlite(string dataPath, string service)
    {
        Directory.CreateDirectory(dataPath);
        var file = Path.GetFullPath(Path.Combine(dataPath, $"{service}.db"));
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = true, DefaultTimeout = 30 }.ToString();
        return new ServiceDatabase(DatabaseProvider.Sqlite, service, connectionString, $"SQLite file {file}");
    }

    public static ServiceDatabase Postgres(string connectionString, string service)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = service };
        // Fail start-up within seconds when the server is unreachable, unless the operator chose otherwise.
        if (!connectionString.Contains("Timeout", StringComparison.OrdinalIgnoreCase)) builder.Timeout = 5;
        // The stores run the same few dozen statements over and over: prepared once per connection, PostgreSQL stops
        // parsing and planning each of them every time.
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)) builder.MaxAutoPrepare = 64;
        // Npgsql resets a pooled connection's session state with seven statements on its next use; the stores open a
        // connection per operation, so those were three statements in four the server ran (distributed benchmark). The
        // stores leave no session state behind (their settings are SET LOCAL, their locks end with the transaction);
        // the one session lock, an instance's, is released explicitly (InstanceLocks).
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)) builder.NoResetOnClose = true;
        return new ServiceDatabase(DatabaseProvider.Postgres, service, builder.ConnectionString,
            $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database} schema {service}");
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        DbConnection connection = Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(_connectionString)
            : new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        if (Provider == DatabaseProvider.Sqlite)
        {
            // Per-connection settings: NORMAL sync is durable in WAL mode across process crashes (not power loss).
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
        return connection;
    }
}
