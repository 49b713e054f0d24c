using Playbooks.Engine.Execution;

namespace Playbooks.Engine.Activities.Flow;

public sealed class If : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new("If", "Flow", "If",
        "Takes the True or False branch by a JavaScript condition over account, event, vars and outputs.",
        [new("condition", "Condition", InputKind.Expression, "e.g. account.healthScore < 60", Required: true)],
        ["True", "False"]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        ValueTask.FromResult(ActivityResult.Complete(context.Condition("condition") ? "True" : "False"));
}
