using System.Globalization;
using HandlebarsDotNet;

namespace Playbooks.Notifications.Templates;

/// <summary>The Handlebars environments templates render in, with the helpers <see cref="TemplateVariables.InlineHelpers"/> lists.</summary>
internal static class TemplateHelpers
{
    private const string DefaultDateFormat = "MMMM d, yyyy";

    /// <param name="escapeHtml">True for HTML bodies; subjects, text bodies and chat messages are not HTML and must not be escaped.</param>
    public static IHandlebars Create(bool escapeHtml)
    {
        var handlebars = Handlebars.Create(new HandlebarsConfiguration { NoEscape = !escapeHtml, FormatProvider = CultureInfo.InvariantCulture });
        // {{formatDate account.renewalDate}} → "March 1, 2027"; {{formatDate task.dueAt "yyyy-MM-dd HH:mm"}}
        handlebars.RegisterHelper("formatDate", (in HelperOptions _, in Context _, in Arguments arguments) =>
            FormatDate(arguments.Length > 0 ? arguments[0] : null, arguments.Length > 1 ? arguments[1] as string : null));
        // {{default contact.name "there"}} → the name, or "there" when it is missing or empty
        handlebars.RegisterHelper("default", (in HelperOptions _, in Context _, in Arguments arguments) =>
            arguments.Length > 0 && !IsEmpty(arguments[0]) ? arguments[0] : arguments.Length > 1 ? arguments[1] : "");
        return handlebars;
    }

    private static object FormatDate(object? value, string? format)
    {
        format ??= DefaultDateFormat;
        return value switch
        {
            DateOnly date => date.ToString(format, CultureInfo.InvariantCulture),
            DateTimeOffset moment => moment.ToUniversalTime().ToString(format, CultureInfo.InvariantCulture),
            DateTime moment => moment.ToString(format, CultureInfo.InvariantCulture),
            string text when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) =>
                date.ToString(format, CultureInfo.InvariantCulture),
            // Times render in UTC: a template cannot know the reader's zone, so it says "UTC" in its format.
            string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment) =>
                moment.ToUniversalTime().ToString(format, CultureInfo.InvariantCulture),
            _ when IsEmpty(value) => "",
            _ => value!.ToString() ?? "",
        };
    }

    private static bool IsEmpty(object? value) => value is null or UndefinedBindingResult || value is string { Length: 0 };
}
