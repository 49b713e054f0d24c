using System.Text.Json;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Execution;

namespace Playbooks.Engine.Activities.Flow;

/// <summary>Runs every named branch; a Join brings them back together.</summary>
public sealed class Fork : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new("Fork", "Flow", "Fork",
        "Runs all its branches in parallel.",
        [new("branches", "Branches", InputKind.List, "Names of the parallel branches, e.g. [\"Email\", \"Task\"]", Required: true)],
        [], DynamicOutcomes: "one port per branch");

    public override IReadOnlyList<string> OutcomesOf(ActivityNode node, PlaybookDefinition definition) =>
        node.Inputs.TryGetValue("branches", out var branches) && branches.ValueKind == JsonValueKind.Array
            ? branches.EnumerateArray().Select(b => b.GetString() ?? "").ToList()
            : [];

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        ValueTask.FromResult(ActivityResult.CompleteAll(context.List("branches")));
}
