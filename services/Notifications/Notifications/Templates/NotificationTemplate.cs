namespace Playbooks.Notifications.Templates;

/// <summary>A saved template; playbooks refer to it by <see cref="Id"/>.</summary>
/// <param name="Subject">The email subject, or the title of a chat or in-app message.</param>
/// <param name="Urgent">Sent during the recipient's quiet hours (incident notices).</param>
/// <param name="Shipped">One of the templates that ship with Playbooks: editable, not deletable (shipped playbooks use it).</param>
public sealed record NotificationTemplate(
    string Id,
    string Name,
    string Channel,
    string? Subject,
    string TextBody,
    string? HtmlBody,
    bool Urgent,
    bool Shipped,
    int Version,
    DateTimeOffset UpdatedAt);
