using System.Text.RegularExpressions;
using Jint.Parser;
using Jint.Parser.Ast;

namespace Playbooks.Engine.Expressions;

/// <summary>A JavaScript expression or script parsed once per definition version and evaluated many times.</summary>
public sealed partial class CompiledExpression
{
    private CompiledExpression(string source, Program program)
    {
        Source = source;
        Program = program;
        if (MemberPath().IsMatch(source)) Path = source.Trim().Split('.');
    }

    public string Source { get; }

    internal Program Program { get; }

    /// <summary>
    /// For an expression that only reads a field, such as <c>account.name</c> in a task title: the scope variable and
    /// the members, which the evaluator can read without binding the scope into the script engine.
    /// </summary>
    internal string[]? Path { get; }

    [GeneratedRegex(@"^\s*(account|event|vars|outputs)(\.[A-Za-z_][A-Za-z0-9_]*)+\s*$")]
    private static partial Regex MemberPath();

    /// <summary>Parses <paramref name="source"/>; the error says where the syntax is wrong.</summary>
    public static bool TryCompile(string source, out CompiledExpression? expression, out string? error)
    {
        try
        {
            expression = new CompiledExpression(source, new JavaScriptParser().Parse(source));
            error = null;
            return true;
        }
        catch (ParserException parse)
        {
            expression = null;
            error = $"JavaScript does not parse: {parse.Message}";
            return false;
        }
    }

    public static CompiledExpression Compile(string source) =>
        TryCompile(source, out var expression, out var error) ? expression! : throw new ExpressionException(error!);
}
