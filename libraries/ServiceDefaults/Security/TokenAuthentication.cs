using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Playbooks.ServiceDefaults.Hosting;

namespace Playbooks.ServiceDefaults.Security;

/// <summary>
/// Bearer-token authentication for the gateway and every service: Playbooks' own tokens (signed with
/// <c>Playbooks:Auth:SigningKey</c>) and, when an authority is configured, an identity provider's. Services check
/// tokens themselves rather than trusting the gateway, so a request that reaches one directly is no less guarded.
/// </summary>
public static class TokenAuthentication
{
    /// <summary>The default scheme: picks the handler that fits the credential the request carries.</summary>
    public const string Scheme = "Playbooks";
    public const string OwnTokens = "PlaybooksTokens";
    public const string ProviderTokens = "IdentityProvider";

    public static WebApplicationBuilder AddPlaybooksAuthentication(this WebApplicationBuilder builder)
    {
        var auth = AuthOptions.From(builder.Configuration);
        var signingKey = SigningKeys.Resolve(auth, PlaybooksOptions.From(builder.Configuration));
        builder.Services.AddSingleton(auth);
        // Tokens live in wall-clock time, as the handlers that check them do, whatever clock the service's work runs on.
        builder.Services.AddSingleton(new TokenIssuer(auth, signingKey, TimeProvider.System));

        var authentication = builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Playbooks", options => options.ForwardDefaultSelector = context =>
                auth.Authority is not null && !IsOwnToken(context, auth) ? ProviderTokens : OwnTokens)
            .AddJwtBearer(OwnTokens, options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Issuer,
                    ValidAudience = auth.Audience,
                    IssuerSigningKey = TokenIssuer.Key(signingKey),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    RoleClaimType = auth.RoleClaim,
                    NameClaimType = "sub",
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
        if (auth.Authority is not null)
            authentication.AddJwtBearer(ProviderTokens, options =>
            {
                options.Authority = auth.Authority;
                options.Audience = auth.AuthorityAudience ?? auth.Audience;
                options.RequireHttpsMetadata = auth.RequireHttpsMetadata;
                options.MapInboundClaims = false;
                options.TokenValidationParameters.RoleClaimType = auth.RoleClaim;
                options.TokenValidationParameters.NameClaimType = "sub";
            });

        builder.Services.AddAuthorization(Access.AddPolicies);
        return builder;
    }

    public static WebApplication UsePlaybooksAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    // Reads the issuer without trusting it, only to route the token to the handler that will verify it.
    private static bool IsOwnToken(HttpContext context, AuthOptions auth)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return true;
        try
        {
            return new JsonWebToken(header["Bearer ".Length..].Trim()).Issuer == auth.Issuer;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
