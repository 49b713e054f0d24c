using System.Collections.Concurrent;
using HandlebarsDotNet;

namespace Playbooks.Notifications.Templates;

/// <summary>Compiles templates (once per saved version) and reports why one does not compile.</summary>
public sealed class TemplateRenderer
{
    private readonly IHandlebars _plain = TemplateHelpers.Create(escapeHtml: false);
    private readonly IHandlebars _html = TemplateHelpers.Create(escapeHtml: true);
    // By id, with the template it was compiled from: a template deleted and made again starts at version 1 again, so the
    // version alone kept sending the deleted one's text.
    private readonly ConcurrentDictionary<string, (NotificationTemplate Source, CompiledTemplate Compiled)> _saved = new(StringComparer.Ordinal);

    public CompiledTemplate Compile(NotificationTemplate template)
    {
        if (_saved.TryGetValue(template.Id, out var saved) && saved.Source == template) return saved.Compiled;
        var compiled = Compile(template.Subject, template.TextBody, template.HtmlBody, template.Version);
        _saved[template.Id] = (template, compiled);
        return compiled;
    }

    /// <summary>Compiles parts that may not be saved (a preview of an unsaved template); throws like Handlebars.Net does on bad syntax.</summary>
    public CompiledTemplate Compile(string? subject, string textBody, string? htmlBody, int version = 0) =>
        new(version, subject is null ? null : _plain.Compile(subject), _plain.Compile(textBody), htmlBody is null ? null : _html.Compile(htmlBody));

    /// <summary>Why Handlebars cannot compile <paramref name="part"/>, or null when it can.</summary>
    public string? SyntaxError(string part)
    {
        try
        {
            _plain.Compile(part);
            return null;
        }
        catch (HandlebarsException error)
        {
            return $"Malformed template: {error.Message.ReplaceLineEndings(" ").Trim()}";
        }
        catch (Exception error) when (error is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // Some syntax errors (e.g. "{{#each}}" with nothing to iterate) surface as plain exceptions from inside Handlebars.Net.
            return $"Malformed template: Handlebars could not compile it ({error.Message}). Check that every block names what it works on and every '{{{{' is closed.";
        }
    }
}
