using Playbooks.Storage;

namespace Playbooks.Notifications.Storage;

/// <summary>The notifications service's schema, step by step.</summary>
public static class NotificationsMigrations
{
    public static readonly IReadOnlyList<Migration> All = [];
}
