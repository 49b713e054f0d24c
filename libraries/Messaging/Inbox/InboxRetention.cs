using Microsoft.Extensions.Configuration;
using Playbooks.ServiceDefaults.Hosting;

namespace Playbooks.Messaging.Inbox;

/// <summary>
/// How long a service remembers the events it handled (<c>Playbooks__Inbox__KeepHandled</c>, default 7 days). A
/// redelivery within it has no second effect. Redeliveries come within minutes (a reclaimed entry after 30 s, a relay's
/// sweep after 5–10 s); only a dead letter can come back later, so one older than this is not replayed unless forced.
/// </summary>
public sealed record InboxRetention(TimeSpan KeepHandled)
{
    public const string Key = "Playbooks:Inbox:KeepHandled";

    /// <summary>Shorter would forget events while a redelivery of them may still be on its way.</summary>
    public static readonly TimeSpan Shortest = TimeSpan.FromHours(1);

    public static readonly InboxRetention Default = new(TimeSpan.FromDays(7));

    /// <summary>How often each replica deletes what it no longer needs to remember.</summary>
    public TimeSpan PruneEvery { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A dead letter may be replayed while the inbox still holds any copy of the event handled near when it died: copies
    /// are delivered within minutes of each other, an hour is the margin.
    /// </summary>
    public TimeSpan ReplayWithin => KeepHandled - Shortest;

    public static InboxRetention From(IConfiguration configuration)
    {
        var keep = configuration.GetValue(Key, Default.KeepHandled);
        if (keep < Shortest)
            throw new StartupFailure($"{Key.Replace(":", "__")} is {keep}; it must be at least {Shortest} (redelivered events arrive up to minutes apart), e.g. 7.00:00:00 for 7 days.");
        return new InboxRetention(keep);
    }
}
