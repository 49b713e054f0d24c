using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.ServiceDefaults.Health;
using Playbooks.ServiceDefaults.Hosting;

namespace Playbooks.Storage;

/// <summary>The migrations a service's store needs, registered with its database.</summary>
public sealed record ServiceMigrations(IReadOnlyList<Migration> Steps);

public static class StorageExtensions
{
    public const string PostgresConnectionName = "Postgres";

    /// <summary>SQLite under the data folder in embedded mode, the service's schema in PostgreSQL in distributed mode.</summary>
    public static ServiceDatabase AddServiceDatabase(this WebApplicationBuilder builder, string service, IReadOnlyList<Migration> migrations)
    {
        var options = PlaybooksOptions.From(builder.Configuration);
        var database = options.Mode switch
        {
            RunMode.Distributed => ServiceDatabase.Postgres(
                builder.Configuration.GetConnectionString(PostgresConnectionName)
                ?? throw new StartupFailure("Distributed mode needs PostgreSQL: set ConnectionStrings__Postgres (e.g. Host=127.0.0.1;Port=5432;Database=playbooks;Username=playbooks)."),
                service),
            _ => ServiceDatabase.Sqlite(options.DataPath, service),
        };
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(new ServiceMigrations(migrations));
        builder.Services.AddHostedService<DatabaseInitializer>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag]);
        return database;
    }
}
