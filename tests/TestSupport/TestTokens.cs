using Microsoft.Extensions.DependencyInjection;
using Playbooks.ServiceDefaults.Security;

namespace Playbooks.TestSupport;

/// <summary>Tokens for hosts a test starts itself, issued by the host's own signer as the dev sign-in would.</summary>
public static class TestTokens
{
    /// <summary>A signing key for hosts run in distributed mode, where no key is generated.</summary>
    public const string SigningKey = "playbooks-tests-signing-key-0123456789abcdef";

    public static HttpClient SignedInAsAdmin(this HttpClient client, IServiceProvider services)
    {
        client.DefaultRequestHeaders.Authorization = new("Bearer",
            services.GetRequiredService<TokenIssuer>().Issue(SuiteFixture.AdminUser, Roles.Admin).Token);
        return client;
    }
}
