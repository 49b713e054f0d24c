namespace Playbooks.Engine.Instances;

/// <summary>
/// Keeps a claim alive while the work it covers runs: renews it every third of a lease, so one slow step (a CRM retried
/// for half a minute) never outlasts it; <see cref="Lost"/> is cancelled once a renewal finds the claim is no longer
/// this replica's. Disposing waits for a renewal under way, so the caller can give back or mark with the claim as it is.
/// </summary>
internal sealed class ClaimRenewal : IAsyncDisposable
{
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _done = new();
    private readonly Task _renewing;

    /// <param name="renewUntil">Extends the claim to the given Unix ms; false if it is no longer this replica's.</param>
    /// <param name="failed">Told of a renewal that failed (it is tried again at the next tick).</param>
    public ClaimRenewal(WorkLease lease, Func<long, Task<bool>> renewUntil, Action<Exception>? failed = null) =>
        _renewing = RenewAsync(lease, renewUntil, failed);

    public CancellationToken Lost => _lost.Token;

    private async Task RenewAsync(WorkLease lease, Func<long, Task<bool>> renewUntil, Action<Exception>? failed)
    {
        using var every = new PeriodicTimer(lease.Duration / 3);
        try
        {
            while (await every.WaitForNextTickAsync(_done.Token))
            {
                try
                {
                    if (await renewUntil(lease.Until())) continue;
                    await _lost.CancelAsync();
                    return;
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // Tried again at the next tick: two thirds of the lease are still left.
                    failed?.Invoke(error);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _done.CancelAsync();
        await _renewing;
        _done.Dispose();
        _lost.Dispose();
    }
}
