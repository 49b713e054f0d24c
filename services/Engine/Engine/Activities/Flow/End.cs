using Playbooks.Engine.Execution;

namespace Playbooks.Engine.Activities.Flow;

public sealed class End : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new("End", "Flow", "End",
        "Finishes the run: waits on other branches are dropped and their open tasks cancelled.", [], []);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => ValueTask.FromResult(ActivityResult.EndRun());
}
