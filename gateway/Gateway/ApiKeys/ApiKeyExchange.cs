using System.Collections.Concurrent;
using System.Security.Claims;
using Playbooks.ServiceDefaults.Security;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Playbooks.Gateway.ApiKeys;

/// <summary>
/// Swaps a verified API key for a token the services accept: the key never leaves the gateway, and each service
/// still checks the caller's role itself.
/// </summary>
internal sealed class ApiKeyExchange(TokenIssuer issuer, TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new();

    public void Apply(TransformBuilderContext context) => context.AddRequestTransform(transform =>
    {
        transform.ProxyRequest.Headers.Remove(ApiKeyStore.Header);
        var user = transform.HttpContext.User;
        if (ApiKeyAuthentication.KeyIdOf(user) is not { } keyId) return ValueTask.CompletedTask;
        var token = TokenFor(keyId, user);
        transform.ProxyRequest.Headers.Remove("Authorization");
        transform.ProxyRequest.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        return ValueTask.CompletedTask;
    });

    // One token per key, renewed a minute before it expires, so signing costs nothing per request.
    private string TokenFor(string keyId, ClaimsPrincipal user)
    {
        var now = clock.GetUtcNow();
        if (_tokens.TryGetValue(keyId, out var cached) && cached.ExpiresAt - now > TimeSpan.FromMinutes(1)) return cached.Token;
        var role = user.Claims.First(c => c.Type == ((ClaimsIdentity)user.Identity!).RoleClaimType).Value;
        var issued = issuer.Issue(user.FindFirstValue("sub")!, role, name: user.FindFirstValue("name"), lifetime: Lifetime);
        _tokens[keyId] = issued;
        return issued.Token;
    }
}
