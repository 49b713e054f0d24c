using System.Net;
using System.Text;
using Playbooks.Engine.Tests.Support;
using Xunit;

namespace Playbooks.Engine.Tests.Definitions;

/// <summary>A typo in a definition's JSON is an error the designer sees, never a field silently dropped.</summary>
[Collection(EngineSuiteCollection.Name)]
public sealed class DefinitionJsonTests(EngineSuiteFixture suite)
{
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string json) =>
        await suite.Client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    [Theory]
    [InlineData("""{ "definitionId": "{id}", "name": "Kickoff", "activites": [] }""", "activites")]
    [InlineData("""{ "definitionId": "{id}", "name": "Kickoff", "activities": [{ "id": "start", "type": "Start", "inptus": {} }] }""", "inptus")]
    [InlineData("""{ "definitionId": "{id}", "name": "Kickoff", "connections": [{ "from": "a", "to": "b", "port": "Done" }] }""", "port")]
    public async Task Creating_a_definition_with_an_unknown_field_is_refused_and_nothing_is_saved(string json, string field)
    {
        var id = EngineSuiteFixture.Unique("unknown-field");

        var response = await SendAsync(HttpMethod.Post, EngineSuiteFixture.Definitions, json.Replace("{id}", id));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await suite.Client.GetAsync($"{EngineSuiteFixture.Definitions}/{id}")).StatusCode);
    }

    [Fact]
    public async Task Updating_a_draft_with_an_unknown_field_is_refused_and_the_draft_is_unchanged()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("unknown-field-update"), ("end", "End", null));
        await suite.CreateAsync(playbook);

        var response = await SendAsync(HttpMethod.Put, $"{EngineSuiteFixture.Definitions}/{playbook.Id}",
            $$"""{ "definitionId": "{{playbook.Id}}", "name": "Renamed", "colour": "red" }""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("colour", await response.Content.ReadAsStringAsync());
        var draft = await suite.GetJsonAsync($"{EngineSuiteFixture.Definitions}/{playbook.Id}");
        Assert.Equal($"Test playbook {playbook.Id}", draft.GetProperty("definition").Text("name"));
        Assert.Equal(2, draft.GetProperty("definition").Items("activities").Count);
    }

    [Theory]
    [InlineData("""{ "definitionId": "broken", "name": """)]
    [InlineData("""{ "definitionId": "broken", "activities": [ { "id": "start", } ] }""")]
    [InlineData("not json at all")]
    public async Task Malformed_json_is_refused_with_problem_details(string json)
    {
        var response = await SendAsync(HttpMethod.Post, EngineSuiteFixture.Definitions, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await suite.Client.GetAsync($"{EngineSuiteFixture.Definitions}/broken")).StatusCode);
    }

    [Fact]
    public async Task Creating_a_playbook_whose_id_exists_is_a_conflict()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("twice"), ("end", "End", null));
        await suite.CreateAsync(playbook);

        var (response, problem) = await suite.PostJsonAsync(EngineSuiteFixture.Definitions, playbook.ToJson());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains($"PUT /api/engine/definitions/{playbook.Id}", problem.Text("detail"));
    }

    [Fact]
    public async Task A_playbook_id_that_is_not_a_slug_is_refused_before_saving()
    {
        var (response, problem) = await suite.PostJsonAsync(EngineSuiteFixture.Definitions, Playbook.Chain("Renewal Outreach!", ("end", "End", null)).ToJson());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["Use lowercase letters, digits and dashes (at most 64), e.g. \"renewal-outreach\"."], problem.ErrorsAt("$.definitionId"));
    }
}
