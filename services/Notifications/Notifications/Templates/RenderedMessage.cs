namespace Playbooks.Notifications.Templates;

/// <summary>A template rendered for one recipient.</summary>
public sealed record RenderedMessage(string? Subject, string Text, string? Html);
