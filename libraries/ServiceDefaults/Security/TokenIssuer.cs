using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Playbooks.ServiceDefaults.Security;

/// <summary>A token Playbooks signed itself, and when it stops working.</summary>
public sealed record IssuedToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>Signs Playbooks' own tokens: the dev sign-in's, and the short-lived ones the gateway swaps API keys for.</summary>
public sealed class TokenIssuer(AuthOptions options, string signingKey, TimeProvider clock)
{
    private readonly SigningCredentials _credentials = new(Key(signingKey), SecurityAlgorithms.HmacSha256);
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static SymmetricSecurityKey Key(string signingKey) => new(Encoding.UTF8.GetBytes(signingKey));

    /// <param name="subject">The user's email, or <c>apikey:{id}</c> for a machine caller.</param>
    public IssuedToken Issue(string subject, string role, string? team = null, string? name = null, TimeSpan? lifetime = null)
    {
        var now = clock.GetUtcNow();
        var expires = now + (lifetime ?? options.TokenLifetime);
        var claims = new Dictionary<string, object> { ["sub"] = subject, [options.RoleClaim] = role };
        if (subject.Contains('@')) claims["email"] = subject;
        if (!string.IsNullOrWhiteSpace(team)) claims[options.TeamClaim] = team;
        if (!string.IsNullOrWhiteSpace(name)) claims["name"] = name;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = _credentials,
        });
        return new IssuedToken(token, expires);
    }
}
