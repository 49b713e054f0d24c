namespace Playbooks.Notifications.Delivery;

/// <summary>How deliveries are attempted and retried: configuration section <c>Notifications:Delivery</c>.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Transient failures in a row (since the last manual retry) before a delivery is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the second attempt; it doubles with each further one, with jitter, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Deliveries sent at once by one dispatcher; also how many it claims per round.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>Longest wait between looks for due work when nothing wakes the dispatcher (other replicas' work, missed signals).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a claimed delivery stays claimed. A claim that outlives it means the process died mid-send,
    /// so it must be far longer than any send can take.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);
}
