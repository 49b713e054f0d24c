namespace Playbooks.Notifications.Delivery;

/// <summary>At most <see cref="PerRecipient"/> emails or chat messages per recipient per <see cref="Window"/>; more wait: section <c>Notifications:RateLimit</c>.</summary>
public sealed class RateLimitOptions
{
    public int PerRecipient { get; set; } = 20;

    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);
}
