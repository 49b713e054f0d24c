using Dapper;
using Playbooks.Distributed.Tests.Support;
using Playbooks.Engine.Instances;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// Pooled connections are not reset between uses, so an instance's session lock must leave with its holder: a lock
/// left on a pooled connection would keep that run from ever running again on any replica.
/// </summary>
public sealed class InstanceLockTests : IAsyncLifetime
{
    private ScratchDatabase _scratch = null!;

    public async Task InitializeAsync() => _scratch = await ScratchDatabase.StartAsync("locks", []);

    [Fact]
    public async Task A_lock_released_or_given_up_while_waiting_stays_with_no_pooled_connection()
    {
        // Two replicas, each with its own locks over the same database.
        var first = new InstanceLocks(_scratch.Database);
        var second = new InstanceLocks(_scratch.Database);

        await using (await first.AcquireAsync("run-1", CancellationToken.None)) { }
        Assert.Equal(0, await InstanceLocksHeldAsync());

        var held = await first.AcquireAsync("run-2", CancellationToken.None);
        using (var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.AcquireAsync("run-2", impatient.Token));
        await held.DisposeAsync();
        Assert.Equal(0, await InstanceLocksHeldAsync());

        // Both replicas take both runs at once again, on connections from the same pools.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await using (await second.AcquireAsync("run-2", patience.Token))
        await using (await second.AcquireAsync("run-1", patience.Token)) { }
        await using (await first.AcquireAsync("run-2", patience.Token)) { }
        Assert.Equal(0, await InstanceLocksHeldAsync());
    }

    // Instance locks are two-key advisory locks of class 1.
    private async Task<long> InstanceLocksHeldAsync()
    {
        await using var connection = await _scratch.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 1 AND objsubid = 2 AND granted");
    }

    public async Task DisposeAsync() => await _scratch.DisposeAsync();
}
