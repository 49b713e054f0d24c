using Microsoft.Extensions.Configuration;

namespace Playbooks.ServiceDefaults.Security;

/// <summary>The <c>Playbooks:Auth</c> settings every process reads.</summary>
public sealed class AuthOptions
{
    public const string Section = "Playbooks:Auth";
    public const int MinimumKeyLength = 32;

    /// <summary>
    /// Key that signs and checks Playbooks' own tokens (dev sign-in, API-key exchange at the gateway). Required in
    /// distributed mode; in embedded mode one is generated into the data folder when unset.
    /// </summary>
    public string? SigningKey { get; set; }

    public string Issuer { get; set; } = "playbooks";

    public string Audience { get; set; } = "playbooks";

    /// <summary>An OpenID Connect authority (Entra ID, Okta, Keycloak…) whose tokens are accepted besides Playbooks' own.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience the identity provider puts in its tokens for Playbooks.</summary>
    public string? AuthorityAudience { get; set; }

    /// <summary>Whether the authority's metadata must come over HTTPS; switch off only for a provider on a trusted local network.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Claim holding the role(s): <c>role</c> in Playbooks' tokens; identity providers often use <c>roles</c>.</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>Claim holding a CSM's team, which decides whose tasks they may see.</summary>
    public string TeamClaim { get; set; } = "team";

    /// <summary>The dev sign-in (a token for any user and role, no password). On by default in embedded mode only.</summary>
    public bool? DevSignIn { get; set; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Requests per second each API key may make (bursts up to twice that); more get 429.</summary>
    public int ApiKeyRequestsPerSecond { get; set; } = 50;

    public static AuthOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<AuthOptions>() ?? new AuthOptions();
}
