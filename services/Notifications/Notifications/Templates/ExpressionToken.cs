namespace Playbooks.Notifications.Templates;

/// <summary>One part of a Handlebars expression, e.g. <c>formatDate</c>, <c>account.renewalDate</c>, <c>"MMMM d"</c>.</summary>
internal abstract record ExpressionToken
{
    /// <summary>Splits the inside of a mustache (or of a subexpression) into its parts.</summary>
    public static IReadOnlyList<ExpressionToken> Split(string expression)
    {
        var tokens = new List<ExpressionToken>();
        var position = 0;
        while (Next(expression, ref position) is { } token) tokens.Add(token);
        return tokens;
    }

    private static ExpressionToken? Next(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position])) position++;
        if (position >= text.Length) return null;
        var start = position;
        switch (text[position])
        {
            case '"' or '\'':
                position = AfterQuoted(text, position);
                return new Literal(text[start..position]);
            case '(':
                position = AfterParenthesis(text, position);
                return new SubExpression(Split(text[(start + 1)..Math.Max(start + 1, position - 1)]));
            case '|':
                var end = text.IndexOf('|', position + 1);
                position = end < 0 ? text.Length : end + 1;
                return new BlockParams(text[(start + 1)..Math.Max(start + 1, position - 1)].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        position = AfterWord(text, position);
        var word = text[start..position];
        if (position < text.Length && text[position] == '=')
        {
            position++;
            return new Hash(word, Next(text, ref position) ?? new Literal(""));
        }
        if (word == "as" && text.AsSpan(position).TrimStart().StartsWith("|")) return Next(text, ref position);
        return IsLiteral(word) ? new Literal(word) : new Path(word);
    }

    private static bool IsLiteral(string word) =>
        word is "true" or "false" or "null" or "undefined" || double.TryParse(word, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static int AfterWord(string text, int position)
    {
        while (position < text.Length && !char.IsWhiteSpace(text[position]) && text[position] is not ('(' or ')' or '=' or '|'))
        {
            // [segment literals] may hold spaces and dots: account.custom.[tier one]
            if (text[position] == '[')
            {
                var close = text.IndexOf(']', position);
                position = close < 0 ? text.Length : close + 1;
            }
            else
            {
                position++;
            }
        }
        return position;
    }

    private static int AfterQuoted(string text, int position)
    {
        var quote = text[position++];
        while (position < text.Length && text[position] != quote) position += text[position] == '\\' ? 2 : 1;
        return Math.Min(position + 1, text.Length);
    }

    private static int AfterParenthesis(string text, int position)
    {
        var depth = 0;
        while (position < text.Length)
        {
            var c = text[position];
            if (c is '"' or '\'') { position = AfterQuoted(text, position); continue; }
            position++;
            if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return position;
        }
        return position;
    }

    public sealed record Path(string Text) : ExpressionToken;

    public sealed record Literal(string Text) : ExpressionToken;

    public sealed record SubExpression(IReadOnlyList<ExpressionToken> Tokens) : ExpressionToken;

    public sealed record Hash(string Key, ExpressionToken Value) : ExpressionToken;

    public sealed record BlockParams(IReadOnlyList<string> Names) : ExpressionToken;
}
