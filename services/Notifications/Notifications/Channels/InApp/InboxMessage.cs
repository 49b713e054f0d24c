namespace Playbooks.Notifications.Channels.InApp;

/// <summary>A notification in a user's in-app inbox; its id is the delivery's id.</summary>
public sealed record InboxMessage(
    string Id,
    string User,
    string AccountId,
    string InstanceId,
    string? Subject,
    string Body,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReadAt);
