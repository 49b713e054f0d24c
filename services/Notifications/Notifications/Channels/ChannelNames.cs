namespace Playbooks.Notifications.Channels;

/// <summary>The channels a notification can go out on, as the engine's SendNotification activity names them.</summary>
public static class ChannelNames
{
    public const string Email = "email";
    public const string Chat = "chat";
    public const string InApp = "in-app";

    public static readonly IReadOnlyList<string> All = [Email, Chat, InApp];

    public static bool IsKnown(string? channel) => channel is not null && All.Contains(channel);

    public static string Unknown(string? channel) => $"Unknown channel '{channel}'. Use {string.Join(", ", All)}.";
}
