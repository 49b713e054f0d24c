using Playbooks.TestSupport;

namespace Playbooks.Workflows.Tests;

/// <summary>The suite as a user starts it: the repository's workflows/ published at start-up.</summary>
public sealed class ShippedSuiteFixture : SuiteFixture
{
    protected override bool LoadShippedWorkflows => true;
}
