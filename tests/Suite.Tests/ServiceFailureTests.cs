using System.Diagnostics;
using System.Net;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Suite.Tests;

/// <summary>Stops a service inside its own suite, so the other tests keep a whole one.</summary>
public sealed class ServiceFailureTests(SuiteFixture suite) : IClassFixture<SuiteFixture>
{
    [Fact]
    public async Task Gateway_answers_problem_details_quickly_when_a_service_is_down()
    {
        var tasks = suite.Suite.Services[1];
        await tasks.StopAsync();

        var clock = Stopwatch.StartNew();
        var response = await suite.Client.GetAsync("/api/tasks/health/ready");
        clock.Stop();

        Assert.True(response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable, $"got {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");

        // The rest of the suite keeps serving.
        var engine = await suite.Client.GetAsync("/api/engine/health/ready");
        Assert.Equal(HttpStatusCode.OK, engine.StatusCode);
    }
}
