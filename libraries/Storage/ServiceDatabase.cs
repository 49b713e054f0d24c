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

    private ServiceDatabase(DatabaseProvider provider, string schema, string connectionString, string description, int? poolSize = null)
    {
        Provider = provider;
        Schema = schema;
        _connectionString = connectionString;
        Description = description;
        PoolSize = poolSize;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The service's name: its SQLite file name or its PostgreSQL schema.</summary>
    public string Schema { get; }

    /// <summary>Where the data is, without secrets, for error messages and logs.</summary>
    public string Description { get; }

    /// <summary>The most connections the process opens at once (PostgreSQL); null on SQLite.</summary>
    public int? PoolSize { get; }

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
        // A few connections per core keep PostgreSQL busy; more only queue inside it. With Npgsql's default of 100, each
        // engine replica grew to 100 under a burst and kept them: 200 backends, each preparing the hot statements only
        // once it had run them a few times, so most calls planned them again (the event insert: 300 plans in 2,039
        // calls), and PostgreSQL spent 5.2-5.9 ms of CPU an event at 200 events/s instead of 4.5-5.0 with 40 (distributed
        // benchmark). Work beyond the pool waits in the process, where waiting is cheap.
        if (!MaxPoolSizeKeywords.Any(keyword => connectionString.Contains(keyword, StringComparison.OrdinalIgnoreCase))) builder.MaxPoolSize = DefaultPoolSize;
        return new ServiceDatabase(DatabaseProvider.Postgres, service, builder.ConnectionString,
            $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database} schema {service}", builder.MaxPoolSize);
    }

    /// <summary>Connections per process unless the connection string says otherwise (<c>Maximum Pool Size</c>).</summary>
    public const int DefaultPoolSize = 40;

    private static readonly string[] MaxPoolSizeKeywords = ["Maximum Pool Size", "Max Pool Size", "MaxPoolSize"];

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
