using HandlebarsDotNet;

namespace Playbooks.Notifications.Templates;

/// <summary>A template's parts compiled once and rendered for many recipients (compiled templates are safe to share across threads).</summary>
public sealed class CompiledTemplate(
    int version, HandlebarsTemplate<object, object>? subject, HandlebarsTemplate<object, object> text, HandlebarsTemplate<object, object>? html)
{
    public int Version { get; } = version;

    public RenderedMessage Render(object model) =>
        new(subject is null ? null : OneLine(subject(model)), text(model), html?.Invoke(model));

    // A subject is one line whatever a variable held.
    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
