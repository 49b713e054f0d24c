using HandlebarsDotNet;

namespace Playbooks.Notifications.Templates;

/// <summary>A template's parts compiled once and rendered for many recipients (compiled templates are safe to share across threads).</summary>
public sealed class CompiledTemplate(
    int version, HandlebarsTemplate<object, object>? subject, HandlebarsTemplate<object, object> text, HandlebarsTemplate<object, object>? html)
{
    public int Version { get; } = version;

    public RenderedMessage Render(object model)
    {
        var message = new RenderedMessage(subject is null ? null : OneLine(subject(model)), text(model), html?.Invoke(model));
        var size = (message.Subject?.Length ?? 0) + message.Text.Length + (message.Html?.Length ?? 0);
        // A loop over a large list can blow a short template up; such a message is refused rather than sent.
        return size <= TemplateLimits.MaxRenderedLength
            ? message
            : throw new HandlebarsRuntimeException($"The rendered message has {size:N0} characters, more than the {TemplateLimits.MaxRenderedLength:N0} allowed. Loop over fewer items (e.g. the first contacts only) or shorten the template.");
    }

    // A subject is one line whatever a variable held.
    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
