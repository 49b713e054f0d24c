using Playbooks.Engine.Execution;

namespace Playbooks.Engine.Activities.Flow;

public sealed class Start : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new("Start", "Flow", "Start",
        "Where every run begins; the trigger's event is available as `event`.", [], [Done]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => ValueTask.FromResult(ActivityResult.Complete(Done));
}
