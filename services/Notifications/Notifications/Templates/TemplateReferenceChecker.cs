namespace Playbooks.Notifications.Templates;

/// <summary>
/// Walks a template's expressions and names each variable it refers to that does not exist, so a typo is refused when
/// the template is saved instead of rendering as an empty gap in a customer's email. Handlebars.Net exposes no syntax
/// tree, so this reads the expressions itself; it runs after Handlebars.Net compiled the template, so blocks balance.
/// </summary>
internal sealed class TemplateReferenceChecker
{
    private readonly List<Frame> _frames = [];
    private readonly List<string> _problems = [];
    private int _line;

    public static IReadOnlyList<string> Check(string template)
    {
        var checker = new TemplateReferenceChecker();
        foreach (var mustache in Mustache.Find(template))
        {
            checker._line = mustache.Line;
            checker.Visit(mustache.Content);
        }
        return checker._problems;
    }

    private void Visit(string content)
    {
        if (content.Length == 0) return;
        switch (content[0])
        {
            case '^' when content.Length == 1: Else(); return;
            case '#' or '^': OpenBlock(content[1..].TrimStart()); return;
            case '/': if (_frames.Count > 0) _frames.RemoveAt(_frames.Count - 1); return;
            case '>': Report("Partials ({{> name}}) are not supported in notification templates; put the text in the template itself."); return;
            case '*': Report("Decorators ({{* name}}) are not supported in notification templates."); return;
            case '&': Expression(ExpressionToken.Split(content[1..])); return;
        }
        if (content == "else" || content.StartsWith("else ", StringComparison.Ordinal))
        {
            Else();
            // {{else if cond}} chains a condition; it does not change the context.
            var chained = ExpressionToken.Split(content[4..]);
            if (chained.Count > 0 && chained[0] is ExpressionToken.Path { Text: "if" or "unless" }) Arguments(chained.Skip(1));
            return;
        }
        Expression(ExpressionToken.Split(content));
    }

    private void OpenBlock(string content)
    {
        var tokens = ExpressionToken.Split(content);
        if (tokens.Count == 0 || tokens[0] is not ExpressionToken.Path { Text: var name }) return;
        var rest = tokens.Skip(1).ToList();
        var arguments = rest.Where(token => token is not ExpressionToken.BlockParams).ToList();
        var parameters = rest.OfType<ExpressionToken.BlockParams>().FirstOrDefault()?.Names ?? [];
        switch (name)
        {
            case "if" or "unless":
                Arguments(arguments);
                _frames.Add(new Frame(ChangesContext: false, Context: null, Params([], parameters)));
                break;
            case "each":
                var list = arguments is [ExpressionToken.Path path, ..] ? Resolve(path.Text) : VariableShape.Anything("each item");
                Arguments(arguments.Skip(1));
                if (list.Kind == ShapeKind.Value) Report($"#each needs a list, but {list.Label} is a single value.");
                var item = list.Kind == ShapeKind.List ? list.Item! : VariableShape.Anything($"an item of {list.Label}");
                _frames.Add(new Frame(ChangesContext: true, item, Params([item, VariableShape.Value("@index")], parameters)));
                break;
            case "with":
                var target = arguments is [ExpressionToken.Path with, ..] ? Resolve(with.Text) : VariableShape.Anything("with");
                Arguments(arguments.Skip(1));
                _frames.Add(new Frame(ChangesContext: true, target, Params([target], parameters)));
                break;
            default:
                Report($"Unknown block '{{{{#{name}}}}}': blocks are {string.Join(", ", TemplateVariables.BlockHelpers.Select(b => "#" + b))}.");
                _frames.Add(new Frame(ChangesContext: true, VariableShape.Anything(name), Params([], parameters)));
                break;
        }
    }

    // The {{else}} part of #each or #with renders in the enclosing context.
    private void Else()
    {
        if (_frames.Count == 0) return;
        var top = _frames[^1];
        if (top.ChangesContext) _frames[^1] = top with { ChangesContext = false, Context = null };
    }

    private void Expression(IReadOnlyList<ExpressionToken> tokens)
    {
        if (tokens.Count > 0 && tokens[0] is ExpressionToken.Path head && (tokens.Count > 1 || TemplateVariables.InlineHelpers.Contains(head.Text)))
        {
            Helper(head.Text);
            Arguments(tokens.Skip(1));
            return;
        }
        Arguments(tokens);
    }

    private void Arguments(IEnumerable<ExpressionToken> tokens)
    {
        foreach (var token in tokens)
        {
            switch (token)
            {
                case ExpressionToken.Path path:
                    Resolve(path.Text);
                    break;
                case ExpressionToken.SubExpression { Tokens: [ExpressionToken.Path helper, ..] } subexpression:
                    Helper(helper.Text);
                    Arguments(subexpression.Tokens.Skip(1));
                    break;
                case ExpressionToken.Hash hash:
                    Arguments([hash.Value]);
                    break;
            }
        }
    }

    private void Helper(string name)
    {
        if (!TemplateVariables.InlineHelpers.Contains(name))
            Report($"Unknown helper '{name}' (or a variable followed by something else): helpers are {string.Join(", ", TemplateVariables.InlineHelpers)}.");
    }

    private VariableShape Resolve(string path)
    {
        var segments = Segments(path);
        if (segments.Count == 0) return VariableShape.Anything(path);
        if (segments[0].StartsWith('@'))
        {
            if (segments[0] == "@root") return Walk(TemplateVariables.Root, segments.Skip(1), path);
            if (TemplateVariables.DataVariables.Contains(segments[0])) return VariableShape.Value(segments[0]);
            Report($"Unknown data variable '{segments[0]}': use {string.Join(", ", TemplateVariables.DataVariables)} or @root.");
            return VariableShape.Anything(path);
        }

        var up = segments.TakeWhile(segment => segment == "..").Count();
        var rest = segments.Skip(up).ToList();
        var explicitContext = rest is [".." or "." or "this", ..];
        if (explicitContext) rest.RemoveAt(0);
        var contexts = _frames.Where(frame => frame.ChangesContext).Select(frame => frame.Context!).Prepend(TemplateVariables.Root).ToList();
        if (up >= contexts.Count)
        {
            Report($"'{path}' climbs with '../' above the template's variables.");
            return VariableShape.Anything(path);
        }
        if (!explicitContext && up == 0 && rest.Count > 0 && Param(rest[0]) is { } parameter) return Walk(parameter, rest.Skip(1), path);
        return Walk(contexts[contexts.Count - 1 - up], rest, path);
    }

    private VariableShape Walk(VariableShape shape, IEnumerable<string> segments, string path)
    {
        foreach (var segment in segments)
        {
            switch (shape.Kind)
            {
                case ShapeKind.Anything:
                    return shape;
                case ShapeKind.Value:
                    Report($"Unknown variable '{path}': {shape.Label} is a single value with no field '{segment}'.");
                    return VariableShape.Anything(path);
                case ShapeKind.List when int.TryParse(segment, out _):
                    shape = shape.Item!;
                    break;
                case ShapeKind.List:
                    Report($"Unknown variable '{path}': {shape.Label} is a list; use {{{{#each {shape.Label}}}}} or an index such as {shape.Label}.[0].");
                    return VariableShape.Anything(path);
                default:
                    if (shape.Fields.TryGetValue(segment, out var field))
                    {
                        shape = field;
                        break;
                    }
                    Report(Unknown(path, shape, segment));
                    return VariableShape.Anything(path);
            }
        }
        return shape;
    }

    private static string Unknown(string path, VariableShape shape, string segment)
    {
        var known = shape.Fields.Keys.ToList();
        var near = known.FirstOrDefault(name => string.Equals(name, segment, StringComparison.OrdinalIgnoreCase));
        var hint = near is null ? "" : $" Did you mean '{near}'? Names are case-sensitive.";
        return ReferenceEquals(shape, TemplateVariables.Root)
            ? $"Unknown variable '{path}'. Templates can use {string.Join(", ", known)}.{hint}"
            : $"Unknown variable '{path}': {shape.Label} has no field '{segment}'. Its fields are {string.Join(", ", known)}.{hint}";
    }

    private VariableShape? Param(string name)
    {
        for (var i = _frames.Count - 1; i >= 0; i--)
            if (_frames[i].Params.TryGetValue(name, out var shape)) return shape;
        return null;
    }

    private static Dictionary<string, VariableShape> Params(IReadOnlyList<VariableShape> shapes, IReadOnlyList<string> names) =>
        names.Select((name, index) => (name, shape: index < shapes.Count ? shapes[index] : VariableShape.Anything(name)))
            .ToDictionary(pair => pair.name, pair => pair.shape, StringComparer.Ordinal);

    // "../account.custom.[tier one]" → "..", "account", "custom", "tier one"
    private static List<string> Segments(string path)
    {
        var segments = new List<string>();
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0) close = path.Length;
                segments.Add(path[(i + 1)..close]);
                i = close + 1;
            }
            else if (path.AsSpan(i).StartsWith(".."))
            {
                segments.Add("..");
                i += 2;
            }
            else if (path[i] == '.' && (i + 1 == path.Length || path[i + 1] == '/') && i == 0)
            {
                segments.Add(".");
                i += 1;
            }
            else if (path[i] is '.' or '/')
            {
                i++;
            }
            else
            {
                var end = path.IndexOfAny(['.', '/', '['], i);
                if (end < 0) end = path.Length;
                segments.Add(path[i..end]);
                i = end;
            }
        }
        return segments;
    }

    private void Report(string message) => _problems.Add($"line {_line}: {message}");

    private sealed record Frame(bool ChangesContext, VariableShape? Context, IReadOnlyDictionary<string, VariableShape> Params);
}
