using System.Threading.Channels;

namespace Playbooks.Notifications.Delivery;

/// <summary>Wakes the dispatcher when deliveries are added or retried; many rings while it is busy count as one.</summary>
public sealed class DeliverySignal
{
    private readonly Channel<bool> _bell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Raise() => _bell.Writer.TryWrite(true);

    /// <summary>Returns when rung or after <paramref name="timeout"/> on <paramref name="time"/>'s clock, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var rung = _bell.Reader.ReadAsync(done.Token).AsTask();
        var elapsed = Task.Delay(timeout, time, done.Token);
        await Task.WhenAny(rung, elapsed);
        await done.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
