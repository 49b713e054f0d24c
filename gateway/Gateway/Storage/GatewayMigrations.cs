using Playbooks.Storage;
using Playbooks.Storage.Audit;

namespace Playbooks.Gateway.Storage;

/// <summary>The gateway keeps only what the door needs: API keys (hashed) and the audit of their changes.</summary>
internal static class GatewayMigrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "api keys", ApiKeys, ApiKeys),
        AuditTables.Migration(2),
    ];

    private const string ApiKeys = """
        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            prefix TEXT NOT NULL UNIQUE,
            secret_hash TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            created_by TEXT NOT NULL,
            last_used_at BIGINT NULL,
            revoked_at BIGINT NULL);
        """;
}
