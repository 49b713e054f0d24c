using System.Net;
using System.Text.Json;
using Xunit;

namespace Playbooks.Metrics.Tests;

[Collection(MetricsCollection.Name)]
public sealed class ApiProblemTests(MetricsSuite suite)
{
    [Theory]
    [InlineData("runs?groupBy=color", "groupBy", "color")]
    [InlineData("tasks?groupBy=playbook", "groupBy", "csm, team")]
    [InlineData("runs?from=2026-10-10&to=2026-10-01", "from", "after to")]
    [InlineData("runs?bucket=month", "bucket", "day, week or none")]
    [InlineData("runs?from=last-tuesday", "from", "yyyy-MM-dd")]
    [InlineData("runs?from=2020-01-01&to=2026-01-01", "to", "at most 731")]
    [InlineData("notifications?playbook=x", "playbook", "not a parameter")]
    public async Task Bad_parameters_answer_400_problem_details_naming_the_parameter(string path, string parameter, string hint)
    {
        var (status, contentType, problem) = await GetAsync($"/api/metrics/kpis/{path}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var errors = problem.GetProperty("errors").GetProperty(parameter).EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(errors, e => e!.Contains(hint, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_kpi_answers_404_problem_details_listing_the_known_ones()
    {
        var (status, contentType, problem) = await GetAsync("/api/metrics/kpis/happiness");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal("Unknown KPI", problem.GetProperty("title").GetString());
        Assert.Contains("runs, funnel, goals, variants, tasks, incidents, renewals, notifications", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_catalogue_lists_every_kpi_with_its_groupings()
    {
        var catalogue = await suite.GetJsonAsync("/api/metrics/kpis");

        var tasks = catalogue.EnumerateArray().Single(k => k.GetProperty("name").GetString() == "tasks");
        Assert.Equal(["csm", "team"], tasks.GetProperty("groupings").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(8, catalogue.GetArrayLength());
    }

    private async Task<(HttpStatusCode, string?, JsonElement)> GetAsync(string path)
    {
        using var response = await suite.Client.GetAsync(path);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }
}
