using Xunit;

namespace Playbooks.Deployment.Tests.Rendering;

/// <summary>The overlays under k8s/overlays, as test data: every check runs against each.</summary>
public sealed class Overlays : TheoryData<string>
{
    public Overlays()
    {
        Add("dev");
        Add("prod");
    }
}
