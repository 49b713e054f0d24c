using System.Text.RegularExpressions;
using Playbooks.Notifications.Channels;

namespace Playbooks.Notifications.Templates;

/// <summary>Decides whether a template can be saved; each problem is keyed by the field to fix.</summary>
public sealed partial class TemplateValidator(TemplateRenderer renderer)
{
    public Dictionary<string, string[]> Validate(TemplateInput input)
    {
        var problems = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!problems.TryGetValue(field, out var list)) problems[field] = list = [];
            list.Add(message);
        }

        if (string.IsNullOrWhiteSpace(input.Id)) Add("id", "A template needs an id: playbooks refer to it by id.");
        else if (!IdPattern().IsMatch(input.Id)) Add("id", $"'{input.Id}' is not a usable id: use lowercase letters, digits and dashes, e.g. 'renewal-champion-email'.");
        if (string.IsNullOrWhiteSpace(input.Name)) Add("name", "A template needs a name that tells designers what it is for.");
        else if (input.Name.Length > 200) Add("name", "Keep the name under 200 characters.");
        if (!ChannelNames.IsKnown(input.Channel)) Add("channel", ChannelNames.Unknown(input.Channel));
        if (input.Channel == ChannelNames.Email && string.IsNullOrWhiteSpace(input.Subject)) Add("subject", "An email template needs a subject.");
        if (string.IsNullOrWhiteSpace(input.TextBody)) Add("textBody", "A template needs a text body (email also sends it as the plain-text part).");
        if (input.HtmlBody is not null && input.Channel is not null && input.Channel != ChannelNames.Email)
            Add("htmlBody", $"Only email templates have an HTML body; a {input.Channel} template sends its text body.");

        foreach (var (field, part) in new[] { ("subject", input.Subject), ("textBody", input.TextBody), ("htmlBody", input.HtmlBody) })
        {
            if (string.IsNullOrEmpty(part)) continue;
            var limit = field == "subject" ? TemplateLimits.MaxSubjectLength : TemplateLimits.MaxPartLength;
            if (part.Length > limit)
            {
                Add(field, $"Keep the {field} under {limit:N0} characters; it has {part.Length:N0}.");
                continue;
            }
            if (renderer.SyntaxError(part) is { } malformed)
            {
                Add(field, malformed);
                continue;
            }
            foreach (var unknown in TemplateReferenceChecker.Check(part)) Add(field, unknown);
        }
        return problems.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray());
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex IdPattern();
}
