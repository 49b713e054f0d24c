using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Playbooks.Engine.Expressions;

/// <summary>
/// Text with <c>{{ expression }}</c> holes, e.g. "Kickoff with {{ account.name }}": each hole is a compiled expression,
/// so titles and descriptions are parsed once per definition version.
/// </summary>
public sealed partial class TemplateText
{
    private readonly IReadOnlyList<object> _parts;

    private TemplateText(IReadOnlyList<object> parts) => _parts = parts;

    public static bool TryCompile(string source, out TemplateText? template, out string? error)
    {
        var parts = new List<object>();
        var last = 0;
        foreach (Match hole in Hole().Matches(source))
        {
            if (hole.Index > last) parts.Add(source[last..hole.Index]);
            if (!CompiledExpression.TryCompile(hole.Groups[1].Value, out var expression, out error))
            {
                template = null;
                error = $"In '{{{{{hole.Groups[1].Value}}}}}': {error}";
                return false;
            }
            parts.Add(expression!);
            last = hole.Index + hole.Length;
        }
        if (last < source.Length) parts.Add(source[last..]);
        template = new TemplateText(parts);
        error = null;
        return true;
    }

    public string Render(ExpressionEvaluator evaluator, ExpressionScope scope)
    {
        var text = new StringBuilder();
        foreach (var part in _parts)
        {
            if (part is string literal) text.Append(literal);
            else text.Append(evaluator.Evaluate((CompiledExpression)part, scope) switch
            {
                null => "",
                JsonValue value when value.TryGetValue<string>(out var s) => s,
                var node => node.ToJsonString(),
            });
        }
        return text.ToString();
    }

    [GeneratedRegex(@"\{\{\s*(.+?)\s*\}\}", RegexOptions.Singleline)]
    private static partial Regex Hole();
}
