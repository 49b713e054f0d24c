namespace Playbooks.Notifications.Templates;

/// <summary>A template as a designer writes it (create, update, preview before saving).</summary>
public sealed record TemplateInput(
    string? Id,
    string? Name,
    string? Channel,
    string? Subject,
    string? TextBody,
    string? HtmlBody,
    bool? Urgent = null);
