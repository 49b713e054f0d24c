using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Playbooks.Storage;

namespace Playbooks.Gateway.ApiKeys;

/// <summary>
/// API keys, stored as SHA-256 hashes of the secret (keys are 32 random bytes, so a fast hash is enough: there is
/// nothing to guess). A key reads <c>pbk_{prefix}_{secret}</c>; the prefix finds the row, the hash proves the secret.
/// </summary>
public sealed class ApiKeyStore(ServiceDatabase database, TimeProvider clock)
{
    public const string Header = "X-Api-Key";

    // Checked keys are remembered briefly so ingestion at thousands of requests a second does not query per request;
    // a revoke clears this replica's memory at once and others' within the same few seconds.
    private static readonly TimeSpan Remember = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan UsageResolution = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (ApiKey Key, string Hash, DateTimeOffset CheckedAt)> _recent = new();
    // Keys revoked through this replica: refused from then on, whatever a check already under way writes back.
    private readonly ConcurrentDictionary<string, bool> _revokedHere = new();

    public async Task<CreatedApiKey> CreateAsync(string name, string role, string createdBy, CancellationToken cancellationToken)
    {
        var id = $"key_{Guid.CreateVersion7():N}";
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO api_keys (id, name, role, prefix, secret_hash, created_at, created_by)
            VALUES (@Id, @Name, @Role, @Prefix, @Hash, @Now, @CreatedBy)
            """, new { Id = id, Name = name, Role = role, Prefix = prefix, Hash = Hash(secret), Now = now.ToUnixTimeMilliseconds(), CreatedBy = createdBy },
            cancellationToken: cancellationToken));
        return new CreatedApiKey(id, name, role, prefix, now, $"pbk_{prefix}_{secret}");
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ApiKeyRow>(new CommandDefinition($"{Select} ORDER BY created_at DESC", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToKey()).ToList();
    }

    public async Task<ApiKey?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition($"{Select} WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken)))?.ToKey();
    }

    /// <returns>The key as it was before, or null when there is no such key.</returns>
    public async Task<ApiKey?> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        var before = await FindAsync(id, cancellationToken);
        if (before is null || before.RevokedAt is not null) return before;
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE api_keys SET revoked_at = @Now WHERE id = @Id AND revoked_at IS NULL",
            new { Id = id, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        _revokedHere[before.Prefix] = true;
        _recent.TryRemove(before.Prefix, out _);
        return before;
    }

    /// <summary>The live key this secret belongs to, or null for an unknown, malformed or revoked one.</summary>
    public async Task<ApiKey?> VerifyAsync(string presented, CancellationToken cancellationToken)
    {
        var parts = presented.Trim().Split('_');
        // Only well-formed keys reach the database, and only real keys are remembered: made-up prefixes cost one
        // indexed lookup and no memory.
        if (parts is not ["pbk", { Length: 10 } prefix, { Length: 64 } secret] || !IsHex(prefix) || !IsHex(secret)) return null;
        if (_revokedHere.ContainsKey(prefix)) return null;
        var now = clock.GetUtcNow();
        if (!_recent.TryGetValue(prefix, out var known) || now - known.CheckedAt > Remember)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var row = await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition($"{Select} WHERE prefix = @Prefix", new { Prefix = prefix },
                cancellationToken: cancellationToken));
            if (row is null)
            {
                _recent.TryRemove(prefix, out _);
                return null;
            }
            known = (row.ToKey(), row.SecretHash, now);
            _recent[prefix] = known;
        }
        if (known.Key.RevokedAt is not null || _revokedHere.ContainsKey(prefix)) return null;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(known.Hash))) return null;
        if (known.Key.LastUsedAt is null || now - known.Key.LastUsedAt > UsageResolution) await MarkUsedAsync(known.Key, now, cancellationToken);
        return known.Key;
    }

    private async Task MarkUsedAsync(ApiKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE api_keys SET last_used_at = @Now WHERE id = @Id",
            new { key.Id, Now = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        if (_recent.TryGetValue(key.Prefix, out var known)) _recent[key.Prefix] = known with { Key = known.Key with { LastUsedAt = now } };
    }

    private static bool IsHex(string text) => text.All(char.IsAsciiHexDigitLower);

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private const string Select = """
        SELECT id AS Id, name AS Name, role AS Role, prefix AS Prefix, secret_hash AS SecretHash, created_at AS CreatedAt, created_by AS CreatedBy,
               last_used_at AS LastUsedAt, revoked_at AS RevokedAt
        FROM api_keys
        """;

    private sealed class ApiKeyRow
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string Role { get; init; } = "";
        public string Prefix { get; init; } = "";
        public string SecretHash { get; init; } = "";
        public long CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
        public long? LastUsedAt { get; init; }
        public long? RevokedAt { get; init; }

        public ApiKey ToKey() => new(Id, Name, Role, Prefix, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), CreatedBy,
            LastUsedAt is { } used ? DateTimeOffset.FromUnixTimeMilliseconds(used) : null,
            RevokedAt is { } revoked ? DateTimeOffset.FromUnixTimeMilliseconds(revoked) : null);
    }
}
