using System.Net;
using System.Net.Http.Json;
using Playbooks.ServiceDefaults.Security;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Suite.Tests.Security;

/// <summary>
/// Every API endpoint, called through the gateway anonymously (401) and in each role: a role the endpoint admits
/// gets past the door (whatever the answer then is: 200, 400 for an empty body, 404 for a made-up id), any other gets 403.
/// </summary>
public sealed class AccessMatrixTests(SuiteFixture suite) : IClassFixture<SuiteFixture>
{
    private const string CsOps = Roles.CsOps, Csm = Roles.Csm, Sre = Roles.Sre, Admin = Roles.Admin, Integration = Roles.Integration;
    private static readonly string[] Everyone = [CsOps, Csm, Sre, Admin, Integration];

    public static readonly TheoryData<string, string, string[]> Endpoints = new()
    {
        // Engine: designing and publishing playbooks
        { "GET", "/api/engine/activities", [CsOps, Sre, Admin] },
        { "GET", "/api/engine/definitions", [CsOps, Sre, Admin] },
        { "POST", "/api/engine/definitions", [CsOps, Admin] },
        { "POST", "/api/engine/definitions/validate", [CsOps, Admin] },
        { "GET", "/api/engine/definitions/no-such", [CsOps, Sre, Admin] },
        { "PUT", "/api/engine/definitions/no-such", [CsOps, Admin] },
        { "POST", "/api/engine/definitions/no-such/publish", [CsOps, Admin] },
        { "POST", "/api/engine/definitions/no-such/unpublish", [CsOps, Admin] },
        { "POST", "/api/engine/definitions/no-such/archive", [CsOps, Admin] },
        { "POST", "/api/engine/definitions/no-such/duplicate", [CsOps, Admin] },
        { "GET", "/api/engine/definitions/no-such/versions", [CsOps, Sre, Admin] },
        { "GET", "/api/engine/definitions/no-such/diff?from=1", [CsOps, Sre, Admin] },
        { "POST", "/api/engine/definitions/no-such/simulate", [CsOps, Admin] },
        { "POST", "/api/engine/definitions/no-such/start", [CsOps, Admin] },
        { "POST", "/api/engine/definitions/no-such/snoozes", [CsOps, Admin] },
        { "DELETE", "/api/engine/definitions/no-such/snoozes/acct-1", [CsOps, Admin] },
        // Engine: runs
        { "GET", "/api/engine/instances", [CsOps, Sre, Admin] },
        { "POST", "/api/engine/instances", [CsOps, Admin] },
        { "GET", "/api/engine/instances/no-such", [CsOps, Sre, Admin] },
        { "POST", "/api/engine/instances/no-such/cancel", [Sre, Admin] },
        { "POST", "/api/engine/instances/no-such/retry", [Sre, Admin] },
        // Engine: accounts and their events
        { "GET", "/api/engine/accounts", [CsOps, Csm, Admin] },
        { "GET", "/api/engine/accounts/no-such", [CsOps, Csm, Admin] },
        { "POST", "/api/engine/accounts", [CsOps, Integration, Admin] },
        { "POST", "/api/engine/accounts/import", [CsOps, Integration, Admin] },
        { "POST", "/api/engine/events", [CsOps, Integration, Admin] },
        { "GET", "/api/engine/events/no-such", [CsOps, Integration, Admin] },
        { "GET", "/api/engine/audit", [Admin] },
        { "GET", "/api/engine/dead-letters", [Sre, Admin] },
        { "POST", "/api/engine/dead-letters/replay", [Sre, Admin] },
        // Tasks
        { "GET", "/api/tasks", [CsOps, Csm, Admin] },
        { "GET", "/api/tasks/no-such", [CsOps, Csm, Admin] },
        { "POST", "/api/tasks/no-such/complete", [CsOps, Csm, Admin] },
        { "POST", "/api/tasks/no-such/snooze", [CsOps, Csm, Admin] },
        { "POST", "/api/tasks/no-such/reassign", [CsOps, Csm, Admin] },
        { "POST", "/api/tasks/no-such/comments", [CsOps, Csm, Admin] },
        { "PUT", "/api/tasks/no-such/checklist/0", [CsOps, Csm, Admin] },
        { "GET", "/api/tasks/queues", [CsOps, Csm, Admin] },
        { "GET", "/api/tasks/queues/no-such", [CsOps, Csm, Admin] },
        { "PUT", "/api/tasks/queues/no-such", [CsOps, Admin] },
        // Notifications
        { "GET", "/api/notifications/templates", [CsOps, Admin] },
        { "POST", "/api/notifications/templates", [CsOps, Admin] },
        { "GET", "/api/notifications/templates/no-such", [CsOps, Admin] },
        { "PUT", "/api/notifications/templates/no-such", [CsOps, Admin] },
        { "DELETE", "/api/notifications/templates/no-such", [CsOps, Admin] },
        { "POST", "/api/notifications/templates/no-such/preview", [CsOps, Admin] },
        { "POST", "/api/notifications/templates/preview", [CsOps, Admin] },
        { "POST", "/api/notifications/requests", [CsOps, Admin] },
        { "GET", "/api/notifications/deliveries", [CsOps, Sre, Admin] },
        { "GET", "/api/notifications/deliveries/no-such", [CsOps, Sre, Admin] },
        { "POST", "/api/notifications/deliveries/no-such/retry", [Sre, Admin] },
        { "GET", "/api/notifications/inbox", Everyone },
        { "POST", "/api/notifications/inbox/no-such/read", Everyone },
        { "GET", "/api/notifications/audit", [Admin] },
        // Metrics
        { "GET", "/api/metrics/kpis", [CsOps, Sre, Admin] },
        { "GET", "/api/metrics/kpis/no-such", [CsOps, Sre, Admin] },
        { "GET", "/api/metrics/prometheus", [CsOps, Sre, Admin] },
        { "POST", "/api/metrics/rebuild", [Sre, Admin] },
        // The gateway's own
        { "GET", "/api/auth/me", Everyone },
        { "GET", "/api/auth/keys", [Admin] },
        { "POST", "/api/auth/keys", [Admin] },
        { "DELETE", "/api/auth/keys/no-such", [Admin] },
        { "GET", "/api/audit", [Admin] },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_admits_exactly_its_roles(string method, string path, string[] allowed)
    {
        using var anonymous = suite.ClientAs(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(anonymous, method, path)).StatusCode);

        foreach (var role in Everyone)
        {
            using var client = suite.ClientAs(role, $"{role}@example.com", "enterprise");
            var response = await SendAsync(client, method, path);
            if (allowed.Contains(role))
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                    $"{role} should reach {method} {path}, got {(int)response.StatusCode}");
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} should get 403 from {method} {path}, got {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Fact]
    public async Task Anonymous_callers_get_a_problem_saying_how_to_sign_in()
    {
        using var anonymous = suite.ClientAs(null);

        var response = await anonymous.GetAsync("/api/engine/definitions");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Contains("Authorization: Bearer", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_csm_cannot_publish_and_is_told_why()
    {
        using var csm = suite.ClientAs(Csm, "aiko@example.com");

        var response = await csm.PostAsync("/api/engine/definitions/kickoff/publish", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Contains("csm", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Services_check_tokens_themselves_when_reached_without_the_gateway()
    {
        var engine = new Uri(suite.Suite.Services[0].Urls.First());
        using var anonymous = new HttpClient { BaseAddress = engine };
        using var csm = new HttpClient { BaseAddress = engine };
        csm.DefaultRequestHeaders.Authorization = new("Bearer", suite.TokenFor(Csm, "aiko@example.com"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/engine/definitions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await csm.PostAsync("/api/engine/definitions/kickoff/publish", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5QGV4YW1wbGUuY29tIiwicm9sZSI6ImFkbWluIiwiaXNzIjoicGxheWJvb2tzIiwiYXVkIjoicGxheWJvb2tzIn0.c2lnbmVkLXdpdGgtYW5vdGhlci1rZXk")]
    public async Task Forged_or_malformed_tokens_are_refused(string token)
    {
        using var client = suite.ClientAs(null);
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/engine/definitions")).StatusCode);
    }

    [Fact]
    public async Task Health_and_the_web_app_stay_open_to_anyone()
    {
        using var anonymous = suite.ClientAs(null);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/engine/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        // The app's pages and files load before anyone signs in: the app shows the sign-in page itself.
        var page = await anonymous.GetAsync("/playbooks");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/index.html")).StatusCode);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
            request.Content = path.EndsWith("/import") ? new StringContent("id,name\n", System.Text.Encoding.UTF8, "text/csv") : JsonContent.Create(new { });
        return client.SendAsync(request);
    }
}
