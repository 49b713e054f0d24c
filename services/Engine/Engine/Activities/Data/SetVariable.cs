using Playbooks.Engine.Definitions;
using Playbooks.Engine.Execution;

namespace Playbooks.Engine.Activities.Data;

public sealed class SetVariable : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new("SetVariable", "Data", "Set variable",
        "Sets one of the playbook's variables, e.g. a counter of no-shows.",
        [
            new("name", "Variable", InputKind.Text, "A declared variable", Required: true),
            new("value", "Value", InputKind.Object, "A literal or { \"js\": \"(vars.noShows || 0) + 1\" }", Required: true),
        ],
        [Done]);

    public override IEnumerable<string> Check(ActivityNode node, PlaybookDefinition definition)
    {
        if (node.Inputs.TryGetValue("name", out var name) && name.ValueKind == System.Text.Json.JsonValueKind.String
            && definition.Variables.All(v => v.Name != name.GetString()))
            yield return $"variable '{name.GetString()}' is not declared; add it under variables";
    }

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var value = context.Value("value");
        context.Instance.Variables[context.Text("name")!] = value?.DeepClone();
        return ValueTask.FromResult(ActivityResult.Complete(Done, value?.DeepClone()));
    }
}
