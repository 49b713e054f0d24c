using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Playbooks.ServiceDefaults.Hosting;

namespace Playbooks.Storage;

/// <summary>Brings the service's schema up to date before it serves, and fails start-up with what to fix when it cannot.</summary>
internal sealed partial class DatabaseInitializer(ServiceDatabase database, ServiceMigrations migrations, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var applied = await MigrationRunner.ApplyAsync(database, migrations.Steps, cancellationToken);
            if (applied.Count > 0) LogMigrated(logger, database.Description, string.Join(", ", applied));
        }
        catch (Exception error) when (error is NpgsqlException or SocketException or TimeoutException)
        {
            throw new StartupFailure(
                $"Cannot reach {database.Description}: {error.Message}. Start PostgreSQL or set ConnectionStrings__Postgres to a reachable server.", error);
        }
        catch (SqliteException error)
        {
            throw new StartupFailure(
                $"Cannot open {database.Description}: {error.Message}. Make the folder writable or set Playbooks__DataPath to another folder.", error);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Migrated {Database} to versions {Versions}")]
    private static partial void LogMigrated(ILogger logger, string database, string versions);
}
