using Playbooks.Engine.Execution;

namespace Playbooks.Engine.Activities.Data;

/// <summary>Sets an account field (a standard one such as lifecycleStage, or a custom field), committed with the run's state.</summary>
public sealed class UpdateAccount : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new("UpdateAccount", "Data", "Update account",
        "Sets a field on the account, e.g. lifecycleStage = adopted.",
        [
            new("field", "Field", InputKind.Text, "e.g. lifecycleStage, or a custom field name", Required: true),
            new("value", "Value", InputKind.Object, "A literal or expression", Required: true),
        ],
        [Done]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var field = context.Text("field")!;
        if (field is "id" or "contacts") return ValueTask.FromResult(ActivityResult.Fault($"'{field}' cannot be changed by a playbook."));
        var value = context.Value("value");
        context.Run.ApplyAccountChange(field, value);
        context.Effects.AccountChanges[field] = value?.DeepClone();
        return ValueTask.FromResult(ActivityResult.Complete(Done));
    }
}
