using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Suite.Tests.Security;

/// <summary>Machine callers (the CRM) push events with an API key that admins create, list and revoke.</summary>
public sealed class ApiKeyTests(ApiKeySuite suite) : IClassFixture<ApiKeySuite>
{
    [Fact]
    public async Task A_key_is_shown_once_stored_hashed_and_pushes_events_in_its_role_only()
    {
        var (id, key) = await CreateKeyAsync("CRM sync", "integration");
        using var crm = suite.ClientAs(null);
        crm.DefaultRequestHeaders.Add("X-Api-Key", key);

        var account = await crm.PostAsJsonAsync("/api/engine/accounts", new { id = "acct-crm", name = "Acme", ownerCsm = "aiko@example.com" });
        Assert.True(account.IsSuccessStatusCode, await account.Content.ReadAsStringAsync());
        var accepted = await crm.PostAsJsonAsync("/api/engine/events", new { id = $"evt-{Guid.NewGuid():N}", type = "usage.sampled", accountId = "acct-crm" });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await crm.GetAsync("/api/engine/definitions")).StatusCode);

        var listed = await suite.Client.GetStringAsync("/api/auth/keys");
        Assert.Contains(id, listed);
        Assert.DoesNotContain(key, listed);
        Assert.DoesNotContain(key.Split('_')[2], listed);
        foreach (var file in Directory.GetFiles(suite.DataPath, "gateway.db*"))
            Assert.Equal(-1, IndexOf(await ReadSharedAsync(file), Encoding.ASCII.GetBytes(key.Split('_')[2])));
    }

    [Fact]
    public async Task A_key_does_not_work_on_a_service_directly_and_stops_working_once_revoked()
    {
        var (id, key) = await CreateKeyAsync("Old CRM", "integration");
        using var direct = new HttpClient { BaseAddress = new Uri(suite.Suite.Services[0].Urls.First()) };
        direct.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await direct.GetAsync("/api/engine/events/anything")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await suite.Client.DeleteAsync($"/api/auth/keys/{id}")).StatusCode);

        using var crm = suite.ClientAs(null);
        crm.DefaultRequestHeaders.Add("X-Api-Key", key);
        var refused = await crm.PostAsJsonAsync("/api/engine/events", new { id = $"evt-{Guid.NewGuid():N}", type = "usage.sampled", accountId = "acct-1" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var keys = await suite.Client.GetFromJsonAsync<JsonElement>("/api/auth/keys");
        Assert.NotEqual(JsonValueKind.Null, keys.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id).GetProperty("revokedAt").ValueKind);

        var audit = await suite.Client.GetFromJsonAsync<JsonElement>($"/api/audit?subject=apikey:{id}");
        Assert.Equal(["apikey.revoked", "apikey.created"], audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task A_key_over_its_rate_gets_429_while_other_keys_and_people_carry_on()
    {
        var (_, noisy) = await CreateKeyAsync("Noisy", "integration");
        var (_, quiet) = await CreateKeyAsync("Quiet", "integration");
        using var noisyClient = suite.ClientAs(null);
        noisyClient.DefaultRequestHeaders.Add("X-Api-Key", noisy);
        using var quietClient = suite.ClientAs(null);
        quietClient.DefaultRequestHeaders.Add("X-Api-Key", quiet);

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => noisyClient.GetAsync("/api/engine/events/anything")));

        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.NotFound) >= ApiKeySuite.RequestsPerSecond, "the burst allowance was served");
        Assert.Equal("1", limited[0].Headers.RetryAfter?.ToString());
        var problem = await limited[0].Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("requests a second", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await quietClient.GetAsync("/api/engine/events/anything")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await suite.Client.GetAsync("/api/engine/events/anything")).StatusCode);
    }

    [Theory]
    [InlineData("pbk_0000000000_nope")]
    [InlineData("garbage")]
    public async Task Unknown_keys_are_refused(string key)
    {
        using var client = suite.ClientAs(null);
        client.DefaultRequestHeaders.Add("X-Api-Key", key);

        var response = await client.GetAsync("/api/engine/events/anything");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("unknown or revoked", detail);
        Assert.DoesNotContain(key, detail);
    }

    [Fact]
    public async Task Only_admins_manage_keys_and_bad_requests_say_what_to_fix()
    {
        using var csOps = suite.ClientAs("cs-ops", "lead@example.com");
        Assert.Equal(HttpStatusCode.Forbidden, (await csOps.PostAsJsonAsync("/api/auth/keys", new { name = "Mine", role = "admin" })).StatusCode);

        var bad = await suite.Client.PostAsJsonAsync("/api/auth/keys", new { name = "", role = "root" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("role", out _));
    }

    private async Task<(string Id, string Key)> CreateKeyAsync(string name, string role)
    {
        var response = await suite.Client.PostAsJsonAsync("/api/auth/keys", new { name, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var key = created.GetProperty("key").GetString()!;
        Assert.StartsWith($"pbk_{created.GetProperty("prefix").GetString()}_", key);
        return (created.GetProperty("id").GetString()!, key);
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        return -1;
    }
}

/// <summary>A suite whose API keys may make few requests a second, so the limit shows quickly.</summary>
public sealed class ApiKeySuite : SuiteFixture
{
    public const int RequestsPerSecond = 5;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Playbooks:Auth:ApiKeyRequestsPerSecond"] = RequestsPerSecond.ToString(),
    };
}
