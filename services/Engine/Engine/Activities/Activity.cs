using Playbooks.Engine.Definitions;
using Playbooks.Engine.Execution;

namespace Playbooks.Engine.Activities;

/// <summary>
/// A step a playbook can take. Adding one is a small subclass plus a line in <see cref="ActivityCatalogue"/>:
/// describe the inputs and outcomes, then run (and, for waiting activities, resume).
/// </summary>
public abstract class Activity
{
    public const string Done = "Done";

    public abstract ActivityDescriptor Descriptor { get; }

    /// <summary>The outcome ports of one node; override when they depend on its inputs.</summary>
    public virtual IReadOnlyList<string> OutcomesOf(ActivityNode node, PlaybookDefinition definition) => Descriptor.Outcomes;

    /// <summary>Problems specific to this activity beyond input types, e.g. a reference to another activity.</summary>
    public virtual IEnumerable<string> Check(ActivityNode node, PlaybookDefinition definition) => [];

    public abstract ValueTask<ActivityResult> ExecuteAsync(ActivityContext context);

    /// <summary>Continues a suspended activity when one of its bookmarks is hit.</summary>
    public virtual ValueTask<ActivityResult> ResumeAsync(ActivityContext context, Bookmark bookmark, Stimulus stimulus) =>
        ValueTask.FromResult(ActivityResult.Complete(Done));
}
