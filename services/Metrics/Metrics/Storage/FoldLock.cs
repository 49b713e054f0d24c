using System.Data.Common;
using Dapper;
using Playbooks.Storage;

namespace Playbooks.Metrics.Storage;

/// <summary>
/// One fold at a time across replicas. A fold reads and rewrites aggregates (run state, sketches), so two replicas
/// folding at once could lose an update; one writer folding in batches is far faster than the suite produces events,
/// so replicas buy availability, not fold throughput. SQLite needs nothing: its writers already queue on the file lock.
/// </summary>
internal static class FoldLock
{
    // Any fixed number: the advisory lock is per database, and only this service's folds take it.
    private const long Key = 0x6D_65_74_72_69_63_73;

    public static async Task TakeAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Postgres)
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@Key)", new { Key }, transaction);
    }
}
