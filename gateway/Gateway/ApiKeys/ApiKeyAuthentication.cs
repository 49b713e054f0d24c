using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.ServiceDefaults.Security;

namespace Playbooks.Gateway.ApiKeys;

/// <summary>
/// Signs in a machine caller by its <c>X-Api-Key</c>. Only the gateway knows keys: it forwards the request with a
/// short-lived token of its own instead (see <see cref="ApiKeyExchange"/>), so services check one kind of credential.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys, AuthOptions auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyIdClaim = "api_key_id";

    /// <summary>The key a request signed in with, only when it did sign in with one (a token cannot claim to be a key).</summary>
    public static string? KeyIdOf(ClaimsPrincipal user) =>
        user.Identity?.AuthenticationType == SchemeName ? user.FindFirst(KeyIdClaim)?.Value : null;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[ApiKeyStore.Header].ToString();
        if (presented.Length == 0) return AuthenticateResult.NoResult();
        var key = await keys.VerifyAsync(presented, Context.RequestAborted);
        // The message names the key's prefix at most, never the secret.
        if (key is null) return AuthenticateResult.Fail("The API key is unknown or revoked.");
        var identity = new ClaimsIdentity(
            [
                new Claim("sub", $"apikey:{key.Id}"), new Claim("name", key.Name), new Claim(auth.RoleClaim, key.Role), new Claim(KeyIdClaim, key.Id),
            ],
            SchemeName, "sub", auth.RoleClaim);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
