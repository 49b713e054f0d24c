namespace Playbooks.Notifications.Channels;

/// <summary>The registered channels by name.</summary>
public sealed class NotificationChannels(IEnumerable<INotificationChannel> channels)
{
    private readonly Dictionary<string, INotificationChannel> _byName = channels.ToDictionary(channel => channel.Name, StringComparer.Ordinal);

    public INotificationChannel? Find(string name) => _byName.GetValueOrDefault(name);
}
