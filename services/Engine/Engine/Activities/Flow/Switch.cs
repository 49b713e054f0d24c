using System.Text.Json;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Expressions;

namespace Playbooks.Engine.Activities.Flow;

/// <summary>The first case whose condition holds names the outcome; none → Default. Also splits runs into A/B variants.</summary>
public sealed class Switch : Activity
{
    public const string Default = "Default";

    public override ActivityDescriptor Descriptor { get; } = new("Switch", "Flow", "Switch",
        "Takes the first case whose condition holds, else Default.",
        [new("cases", "Cases", InputKind.Object, "[{ \"name\": \"Enterprise\", \"condition\": \"account.segment == 'enterprise'\" }]", Required: true)],
        [Default], DynamicOutcomes: "one port per case name");

    public override IReadOnlyList<string> OutcomesOf(ActivityNode node, PlaybookDefinition definition) =>
        [.. CasesOf(node).Select(c => c.Name), Default];

    public override IEnumerable<string> Check(ActivityNode node, PlaybookDefinition definition)
    {
        if (!node.Inputs.TryGetValue("cases", out var cases)) yield break;
        if (cases.ValueKind != JsonValueKind.Array) { yield return "cases must be a list of { name, condition }"; yield break; }
        foreach (var item in cases.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("name", out var n) ? n.GetString() : null;
            var condition = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("condition", out var c) ? c.GetString() : null;
            if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(condition))
                yield return "each case needs a name and a condition";
            else if (!CompiledExpression.TryCompile(condition, out _, out var error))
                yield return $"case '{name}': {error}";
        }
    }

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        context.Value("cases");
        foreach (var (name, condition) in CasesOf(context.Node))
            if (context.Evaluator.IsTrue(context.Playbook.Expression(condition), context.Scope))
                return ValueTask.FromResult(ActivityResult.Complete(name));
        return ValueTask.FromResult(ActivityResult.Complete(Default));
    }

    private static IEnumerable<(string Name, string Condition)> CasesOf(ActivityNode node) =>
        node.Inputs.TryGetValue("cases", out var cases) && cases.ValueKind == JsonValueKind.Array
            ? cases.EnumerateArray()
                .Where(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("name", out _) && c.TryGetProperty("condition", out _))
                .Select(c => (c.GetProperty("name").GetString() ?? "", c.GetProperty("condition").GetString() ?? ""))
            : [];
}
