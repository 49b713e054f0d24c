using System.Data.Common;
using Dapper;
using Playbooks.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>Where a KPI reads its figures: the service's database.</summary>
internal sealed class KpiReader(ServiceDatabase database)
{
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        // SQLite's default page cache (2 MB per connection) is smaller than what a quarter's buckets and the renewal window
        // span, and every miss is a read from the OS. Memory-mapped reads and a 64 MB cache keep a dashboard's pages in process.
        if (database.Provider == DatabaseProvider.Sqlite)
            await connection.ExecuteAsync("PRAGMA mmap_size = 268435456; PRAGMA cache_size = -65536;");
        return connection;
    }
}
