using System.Text.Json;
using Playbooks.Engine.Expressions;

namespace Playbooks.Engine.Execution;

/// <summary>An activity input ready to evaluate: a literal, a JavaScript expression, or a template with holes.</summary>
public abstract record CompiledInput
{
    public sealed record Literal(JsonElement Value) : CompiledInput;

    public sealed record Script(CompiledExpression Expression) : CompiledInput;

    public sealed record Template(TemplateText Text) : CompiledInput;

    /// <summary>True for <c>{ "js": "…" }</c>, the way any input is given as an expression.</summary>
    public static bool IsScript(JsonElement value, out string source)
    {
        source = "";
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("js", out var js) || js.ValueKind != JsonValueKind.String) return false;
        source = js.GetString()!;
        return true;
    }
}
