using System.Data.Common;
using Dapper;
using Playbooks.Storage;

namespace Playbooks.Engine.Instances;

/// <summary>
/// One instance runs in one place at a time. Inside this process a striped semaphore serialises work on it (memory
/// stays fixed however many instances exist); on PostgreSQL a session advisory lock keyed by the instance id does the
/// same across replicas, held on its own connection for the whole load–execute–commit, and released by the server
/// when the replica dies (its connection closes). The revision check in <see cref="InstanceStore.SaveAsync"/> remains
/// the last line of defence.
/// <para>
/// A holder keeps its lock's connection and opens another for the work. If holders could take the whole pool, each would
/// wait for a second connection that no one gives back, until the pool's timeout failed them all; so at most half the
/// pool holds instance locks, and the rest is always there for the work.
/// </para>
/// </summary>
public sealed class InstanceLocks(ServiceDatabase database)
{
    // Advisory locks in the two-key space (class 1 = instances), apart from the one-key locks migrations and starts take.
    private const int InstanceLockClass = 1;
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 1024).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly SemaphoreSlim _holders = new(Math.Max(1, (database.PoolSize ?? 2) / 2));

    public async Task<IAsyncDisposable> AcquireAsync(string instanceId, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(instanceId) % (uint)_stripes.Length];
        await stripe.WaitAsync(cancellationToken);
        if (database.Provider != DatabaseProvider.Postgres) return new Releaser(stripe, null, null);
        try
        {
            await _holders.WaitAsync(cancellationToken);
        }
        catch
        {
            stripe.Release();
            throw;
        }
        DbConnection? connection = null;
        try
        {
            connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@cls, hashtext(@instanceId))",
                new { cls = InstanceLockClass, instanceId }, cancellationToken: cancellationToken));
            return new Releaser(stripe, _holders, connection);
        }
        catch
        {
            // Cancelled just as the server granted the lock, it may be held: pooled connections are not reset.
            if (connection is not null) await UnlockAndCloseAsync(connection);
            _holders.Release();
            stripe.Release();
            throw;
        }
    }

    /// <summary>
    /// Releases every session lock the connection holds (it holds one instance's at most) before it goes back to the
    /// pool, which does not reset connections. If that fails, the pool is told to close its connections as they come
    /// back rather than hand this one out again with the lock; a broken connection (server restarted) released it already.
    /// </summary>
    private static async Task UnlockAndCloseAsync(DbConnection connection)
    {
        try { await connection.ExecuteAsync("SELECT pg_advisory_unlock_all()"); }
        catch (Exception error) when (error is Npgsql.NpgsqlException or InvalidOperationException)
        {
            if (connection is Npgsql.NpgsqlConnection pooled) Npgsql.NpgsqlConnection.ClearPool(pooled);
        }
        await connection.DisposeAsync();
    }

    private sealed class Releaser(SemaphoreSlim stripe, SemaphoreSlim? holders, DbConnection? connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                if (connection is not null) await UnlockAndCloseAsync(connection);
            }
            finally
            {
                holders?.Release();
                stripe.Release();
            }
        }
    }
}
