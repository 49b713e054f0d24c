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

    /// <summary>Checks one round of deliveries with one look at the log, counting those let through earlier in the round.</summary>
    /// <returns>For each delivery that must wait, when the window has room again.</returns>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> LimitedAsync(IReadOnlyList<DeliveryRecord> round, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var limited = round.Where(delivery => AppliesTo(delivery.Channel)).ToList();
        var sent = await store.SentTimesAsync(limited.Select(delivery => delivery.Recipient).Distinct().ToList(), (now - options.Window).ToUnixTimeMilliseconds(), cancellationToken);
        var letThrough = new Dictionary<(string, string), int>();
        var waiting = new Dictionary<string, DateTimeOffset>();
        foreach (var delivery in limited)
        {
            var key = (delivery.Recipient, delivery.Channel);
            var times = sent[key].ToList();
            var used = times.Count + letThrough.GetValueOrDefault(key);
            if (used < options.PerRecipient)
            {
                letThrough[key] = letThrough.GetValueOrDefault(key) + 1;
                continue;
            }
            // The window has room once enough of the oldest sends have aged out of it; sends in this round age out last.
            var agingOut = used - options.PerRecipient;
            var freedAt = agingOut < times.Count ? DateTimeOffset.FromUnixTimeMilliseconds(times[agingOut]) + options.Window : now + options.Window;
            waiting[delivery.Id] = freedAt > now ? freedAt : now;
        }
        return waiting;
    }
}
