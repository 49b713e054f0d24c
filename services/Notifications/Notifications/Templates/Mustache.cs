namespace Playbooks.Notifications.Templates;

/// <summary>One <c>{{…}}</c> of a template: its inside (without braces, whitespace control or comments) and its line.</summary>
internal sealed record Mustache(string Content, int Line)
{
    /// <summary>Every expression in document order; comments and escaped <c>\{{…}}</c> are skipped.</summary>
    public static IEnumerable<Mustache> Find(string template)
    {
        var position = 0;
        var line = 1;
        while (true)
        {
            var open = template.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0) yield break;
            line += Lines(template, position, open);
            var inside = open + (template.AsSpan(open).StartsWith("{{{") ? 3 : 2);
            var isComment = template.AsSpan(inside).TrimStart('~').StartsWith("!");
            var isLongComment = template.AsSpan(inside).TrimStart('~').StartsWith("!--");
            var (close, closeLength) = isLongComment ? LongCommentEnd(template, inside) : (template.IndexOf("}}", inside, StringComparison.Ordinal), 2);
            if (close < 0) yield break; // Handlebars.Net has already refused an unclosed expression
            var escaped = open > 0 && template[open - 1] == '\\';
            if (!escaped && !isComment) yield return new Mustache(template[inside..close].Trim().Trim('~').Trim(), line);
            var end = close + closeLength + (template.AsSpan(close + closeLength).StartsWith("}") && inside == open + 3 ? 1 : 0);
            line += Lines(template, open, Math.Min(end, template.Length));
            position = Math.Min(end, template.Length);
        }
    }

    // {{!-- … --}} may contain "}}"; it ends only at "--}}" or "--~}}".
    private static (int Close, int Length) LongCommentEnd(string template, int from)
    {
        for (var close = template.IndexOf("}}", from, StringComparison.Ordinal); close >= 0; close = template.IndexOf("}}", close + 1, StringComparison.Ordinal))
        {
            if (template.AsSpan(0, close).EndsWith("--")) return (close - 2, 4);
            if (template.AsSpan(0, close).EndsWith("--~")) return (close - 3, 5);
        }
        return (-1, 0);
    }

    private static int Lines(string text, int from, int to) => text.AsSpan(from, to - from).Count('\n');
}
