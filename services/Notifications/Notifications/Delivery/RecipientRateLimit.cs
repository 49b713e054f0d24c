using Playbooks.Notifications.Channels;

namespace Playbooks.Notifications.Delivery;

/// <summary>
/// At most <see cref="RateLimitOptions.PerRecipient"/> emails or chat messages to one recipient in a sliding
/// <see cref="RateLimitOptions.Window"/>, counted from the delivery log so it holds across restarts and replicas;
/// the rest wait until the window has room. The in-app inbox is not limited: nobody is interrupted by it.
/// </summary>
public sealed class RecipientRateLimit(RateLimitOptions options, DeliveryStore store)
{
    public static bool AppliesTo(string channel) => channel is ChannelNames.Email or ChannelNames.Chat;

    /// <param name="inFlight">Deliveries to the same recipient already let through in this round, not yet recorded as sent.</param>
    /// <returns>When the window has room again, or null when it has room now.</returns>
    public async Task<DateTimeOffset?> LimitedUntilAsync(DeliveryRecord delivery, DateTimeOffset now, int inFlight, CancellationToken cancellationToken)
    {
        if (!AppliesTo(delivery.Channel)) return null;
        var since = (now - options.Window).ToUnixTimeMilliseconds();
        var sent = await store.SentTimesAsync(delivery.Recipient, delivery.Channel, since, cancellationToken);
        var used = sent.Count + inFlight;
        if (used < options.PerRecipient) return null;
        // The window has room once enough of the oldest sends have aged out of it; sends in flight age out last.
        var agingOut = used - options.PerRecipient;
        var freedAt = agingOut < sent.Count ? DateTimeOffset.FromUnixTimeMilliseconds(sent[agingOut]) + options.Window : now + options.Window;
        return freedAt > now ? freedAt : now;
    }
}
