using Npgsql;
using Playbooks.Storage;
using Playbooks.TestSupport.Distributed;

namespace Playbooks.Distributed.Tests.Support;

/// <summary>A throwaway PostgreSQL server with one service's schema migrated: for testing one store against the real server.</summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _folder;
    private readonly PostgresServer _server;

    private ScratchDatabase(string folder, PostgresServer server, ServiceDatabase database) => (_folder, _server, Database) = (folder, server, database);

    public ServiceDatabase Database { get; }

    /// <summary>For a service host of the test's own, which migrates its schema itself.</summary>
    public string ConnectionString => _server.ConnectionString("playbooks");

    public static async Task<ScratchDatabase> StartAsync(string service, IReadOnlyList<Migration> migrations)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"playbooks-scratch-{service}", Guid.NewGuid().ToString("N")[..12]);
        var server = new PostgresServer(folder, fsync: false);
        await server.InitAsync();
        var database = ServiceDatabase.Postgres(server.ConnectionString("playbooks"), service);
        await MigrationRunner.ApplyAsync(database, migrations, CancellationToken.None);
        return new ScratchDatabase(folder, server, database);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _server.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
