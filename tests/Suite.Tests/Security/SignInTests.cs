using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Suite.Tests.Security;

public sealed class SignInTests(SuiteFixture suite) : IClassFixture<SuiteFixture>
{
    [Fact]
    public async Task Dev_sign_in_issues_a_token_for_the_chosen_user_role_and_team()
    {
        using var anonymous = suite.ClientAs(null);

        var options = await anonymous.GetFromJsonAsync<JsonElement>("/api/auth/options");
        Assert.True(options.GetProperty("devSignIn").GetBoolean());

        var response = await anonymous.PostAsJsonAsync("/api/auth/dev-sign-in", new { user = "Aiko@Example.com", role = "csm", team = "Enterprise" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var signedIn = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(signedIn.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(1));

        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", signedIn.GetProperty("token").GetString());
        var me = await anonymous.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal("aiko@example.com", me.GetProperty("user").GetString());
        Assert.Equal("csm", me.GetProperty("role").GetString());
        Assert.Equal("enterprise", me.GetProperty("team").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.PostAsync("/api/engine/definitions/kickoff/publish", null)).StatusCode);
    }

    [Theory]
    [InlineData("not-an-email", "csm", "user")]
    [InlineData("aiko@example.com", "overlord", "role")]
    [InlineData("aiko@example.com", "integration", "role")] // machine callers use API keys
    public async Task Dev_sign_in_refuses_bad_input_with_the_field_to_fix(string user, string role, string field)
    {
        using var anonymous = suite.ClientAs(null);

        var response = await anonymous.PostAsJsonAsync("/api/auth/dev-sign-in", new { user, role });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var issuer = suite.Suite.Gateway.Services.GetService(typeof(Playbooks.ServiceDefaults.Security.TokenIssuer)) as Playbooks.ServiceDefaults.Security.TokenIssuer;
        var expired = issuer!.Issue("aiko@example.com", "admin", lifetime: TimeSpan.FromMinutes(-5)).Token;
        using var client = suite.ClientAs(null);
        client.DefaultRequestHeaders.Authorization = new("Bearer", expired);

        var response = await client.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Sign in again", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}

/// <summary>An operator can switch the dev sign-in off (it is off by default in distributed mode).</summary>
public sealed class DevSignInOffFixture : SuiteFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Playbooks:Auth:DevSignIn"] = "false" };
}

public sealed class DevSignInOffTests(DevSignInOffFixture suite) : IClassFixture<DevSignInOffFixture>
{
    [Fact]
    public async Task Without_the_dev_sign_in_nobody_can_mint_a_token()
    {
        using var anonymous = suite.ClientAs(null);

        var options = await anonymous.GetFromJsonAsync<JsonElement>("/api/auth/options");
        var response = await anonymous.PostAsJsonAsync("/api/auth/dev-sign-in", new { user = "aiko@example.com", role = "admin" });

        Assert.False(options.GetProperty("devSignIn").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

/// <summary>An embedded suite listening beyond loopback keeps the dev sign-in off unless told otherwise.</summary>
public sealed class NetworkReachableSuite : SuiteFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Playbooks:Url"] = "http://0.0.0.0:0" };
}

public sealed class NetworkReachableTests(NetworkReachableSuite suite) : IClassFixture<NetworkReachableSuite>
{
    [Fact]
    public async Task A_suite_reachable_from_the_network_has_no_dev_sign_in_by_default()
    {
        // It listens on every interface; reach it the way a neighbour would not need to, over loopback.
        var address = new UriBuilder(suite.Suite.Address) { Host = "127.0.0.1" }.Uri;
        using var anonymous = new HttpClient { BaseAddress = address };

        var options = await anonymous.GetFromJsonAsync<JsonElement>("/api/auth/options");
        var response = await anonymous.PostAsJsonAsync("/api/auth/dev-sign-in", new { user = "mallory@example.com", role = "admin" });

        Assert.False(options.GetProperty("devSignIn").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", suite.TokenFor("admin", SuiteFixture.AdminUser));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/auth/me")).StatusCode);
    }
}
