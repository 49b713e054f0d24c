using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Suite.Tests.Security;

/// <summary>
/// With an OpenID Connect authority configured, the suite accepts that provider's tokens (discovered keys, its
/// audience, roles in its own claim) besides its own, and refuses tokens the provider did not sign.
/// </summary>
public sealed class IdentityProviderTests(IdentityProviderSuite suite) : IClassFixture<IdentityProviderSuite>
{
    [Fact]
    public async Task A_providers_token_signs_a_person_in_with_the_roles_it_carries()
    {
        using var client = suite.ClientAs(null);
        client.DefaultRequestHeaders.Authorization = new("Bearer", suite.Provider.Issue("Dana@Example.com", ["cs-ops"], "playbooks-api"));

        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal("dana@example.com", me.GetProperty("user").GetString());
        Assert.Equal("cs-ops", me.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/engine/definitions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/auth/keys")).StatusCode);
        // The suite's own tokens still work alongside.
        Assert.Equal(HttpStatusCode.OK, (await suite.Client.GetAsync("/api/auth/keys")).StatusCode);
    }

    [Fact]
    public async Task Tokens_for_another_audience_or_signed_by_another_key_are_refused()
    {
        using var client = suite.ClientAs(null);

        client.DefaultRequestHeaders.Authorization = new("Bearer", suite.Provider.Issue("dana@example.com", ["admin"], "some-other-app"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);

        var impostor = new FakeIdentityProvider(suite.Provider.Issuer);
        client.DefaultRequestHeaders.Authorization = new("Bearer", impostor.Issue("dana@example.com", ["admin"], "playbooks-api"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
    }
}

public sealed class IdentityProviderSuite : SuiteFixture
{
    private LoopbackServer _provider = null!;

    public FakeIdentityProvider Provider { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Playbooks:Auth:Authority"] = Provider.Issuer,
        ["Playbooks:Auth:AuthorityAudience"] = "playbooks-api",
        ["Playbooks:Auth:RoleClaim"] = "roles",
        ["Playbooks:Auth:RequireHttpsMetadata"] = "false",
    };

    public override async Task InitializeAsync()
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };
        _provider = await LoopbackServer.StartAsync(app => FakeIdentityProvider.Serve(app, key));
        Provider = new FakeIdentityProvider(_provider.Address, key);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _provider.DisposeAsync();
    }
}

/// <summary>Just enough of an OpenID Connect provider: discovery, its signing key as JWKS, and RS256 tokens.</summary>
public sealed class FakeIdentityProvider(string issuer, RsaSecurityKey? key = null)
{
    private readonly RsaSecurityKey _key = key ?? new RsaSecurityKey(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    public string Issuer { get; } = issuer.TrimEnd('/');

    /// <summary>Discovery and keys; the issuer is the address the provider was reached at.</summary>
    public static void Serve(WebApplication app, RsaSecurityKey key)
    {
        app.MapGet("/.well-known/openid-configuration", (HttpRequest request) =>
        {
            var issuer = $"{request.Scheme}://{request.Host}";
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = issuer, ["jwks_uri"] = $"{issuer}/jwks", ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            });
        });
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.Rsa.ExportParameters(false)) { KeyId = key.KeyId });
        var jwks = JsonSerializer.Serialize(new Dictionary<string, object> { ["keys"] = new[] { new Dictionary<string, string> { ["kty"] = jwk.Kty, ["kid"] = jwk.Kid, ["use"] = "sig", ["alg"] = "RS256", ["n"] = jwk.N, ["e"] = jwk.E } } });
        app.MapGet("/jwks", () => Results.Text(jwks, "application/json"));
    }

    public string Issue(string email, string[] roles, string audience) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = audience,
        Expires = DateTime.UtcNow.AddMinutes(10),
        Claims = new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString(), ["email"] = email, ["roles"] = roles },
        SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
    });
}
