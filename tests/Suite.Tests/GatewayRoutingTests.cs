using System.Net;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Suite.Tests;

public sealed class GatewayRoutingTests(SuiteFixture suite) : IClassFixture<SuiteFixture>
{
    [Theory]
    [InlineData("engine")]
    [InlineData("tasks")]
    [InlineData("notifications")]
    [InlineData("metrics")]
    public async Task Each_service_reports_ready_through_the_gateway(string service)
    {
        var health = await suite.GetJsonAsync($"/api/{service}/health/ready");

        Assert.Equal(service, health.GetProperty("service").GetString());
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Gateway_reports_its_own_liveness()
    {
        var health = await suite.GetJsonAsync("/health/live");

        Assert.Equal("gateway", health.GetProperty("service").GetString());
    }

    [Theory]
    [InlineData("/api/nothing-here")]
    [InlineData("/api/engine/nothing-here")]
    public async Task Unknown_api_route_answers_problem_details(string path)
    {
        var response = await suite.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(path, body);
    }

    [Fact]
    public async Task Root_serves_the_web_ui()
    {
        var response = await suite.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Playbooks", await response.Content.ReadAsStringAsync());
    }
}
