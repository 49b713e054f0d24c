namespace Playbooks.Notifications.Delivery;

/// <summary>When an endpoint (an SMTP server, a webhook host) is considered down: section <c>Notifications:CircuitBreaker</c>.</summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>Share of transient failures within <see cref="SamplingDuration"/> that opens the circuit.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Fewest attempts within <see cref="SamplingDuration"/> before the ratio counts.</summary>
    public int MinimumThroughput { get; set; } = 5;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long deliveries to an open circuit's endpoint are deferred before one is let through to probe it.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(60);
}
