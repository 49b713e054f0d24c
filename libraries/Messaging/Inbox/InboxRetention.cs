using System.Globalization;
using Microsoft.Extensions.Configuration;
using Playbooks.ServiceDefaults.Hosting;

namespace Playbooks.Messaging.Inbox;

/// <summary>
/// How long a service remembers the events it handled (<c>Playbooks__Inbox__KeepHandled</c>, default 7 days). A
/// redelivery within it has no second effect. Redeliveries come within minutes (a reclaimed entry after 30 s, a relay's
/// sweep after 5–10 s); only a dead letter can come back later, so one whose event was on the bus longer ago than this
/// is not replayed unless forced.
/// </summary>
public sealed record InboxRetention(TimeSpan KeepHandled)
{
    public const string Key = "Playbooks:Inbox:KeepHandled";

    /// <summary>Shorter leaves too little time to fix what dead-lettered an event and replay it.</summary>
    public static readonly TimeSpan Shortest = TimeSpan.FromDays(1);

    public static readonly InboxRetention Default = new(TimeSpan.FromDays(7));

    /// <summary>How often each replica deletes what it no longer needs to remember.</summary>
    public TimeSpan PruneEvery { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A dead letter may be replayed while the inboxes still hold any copy of its event that was handled: none was handled
    /// before the event was first on the bus, and an hour covers the clocks of the services and Redis disagreeing.
    /// </summary>
    public TimeSpan ReplayWithin => KeepHandled - TimeSpan.FromHours(1);

    public static InboxRetention From(IConfiguration configuration)
    {
        var setting = configuration[Key];
        if (string.IsNullOrWhiteSpace(setting)) return Default;
        if (!TimeSpan.TryParse(setting, CultureInfo.InvariantCulture, out var keep) || keep < Shortest)
            throw new StartupFailure($"{Key.Replace(":", "__")} is '{setting}'; it must be a time span of at least a day, e.g. 7.00:00:00 for 7 days.");
        return new InboxRetention(keep);
    }
}
