using Xunit;

namespace Playbooks.Deployment.Tests.Rendering;

/// <summary>Collects every problem a check finds, so one run names all of them instead of the first.</summary>
public sealed class Problems
{
    private readonly List<string> _found = [];

    public void Check(bool holds, string problem)
    {
        if (!holds) _found.Add(problem);
    }

    public void AssertNone(string what) =>
        Assert.True(_found.Count == 0, $"{what}:{Environment.NewLine}  - {string.Join($"{Environment.NewLine}  - ", _found)}");
}
