using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Playbooks.Storage;

/// <summary>Ready only while the service's store answers a query.</summary>
internal sealed class DatabaseHealthCheck(ServiceDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy(database.Description);
        }
        catch (Exception error)
        {
            return HealthCheckResult.Unhealthy($"{database.Description}: {error.Message}", error);
        }
    }
}
