using Jint.Parser;
using Jint.Parser.Ast;

namespace Playbooks.Engine.Expressions;

/// <summary>A JavaScript expression or script parsed once per definition version and evaluated many times.</summary>
public sealed class CompiledExpression
{
    private CompiledExpression(string source, Program program)
    {
        Source = source;
        Program = program;
    }

    public string Source { get; }

    internal Program Program { get; }

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
