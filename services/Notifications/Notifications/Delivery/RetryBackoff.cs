namespace Playbooks.Notifications.Delivery;

/// <summary>
/// Exponential backoff with "equal jitter": half the doubled delay is fixed, half random, so deliveries that failed
/// together (an SMTP outage hitting a 10,000-contact fan-out) do not all come back at the same instant.
/// </summary>
public static class RetryBackoff
{
    /// <param name="failedAttempts">Attempts made so far in this round, at least 1.</param>
    /// <param name="retryAfter">What the endpoint asked for (HTTP Retry-After); honoured when longer.</param>
    public static TimeSpan Delay(int failedAttempts, DeliveryOptions options, TimeSpan? retryAfter, Random random)
    {
        var exponential = options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var capped = Math.Min(exponential, options.MaxDelay.TotalMilliseconds);
        var jittered = TimeSpan.FromMilliseconds(capped / 2 + random.NextDouble() * capped / 2);
        return retryAfter is { } asked && asked > jittered ? asked : jittered;
    }
}
