namespace Playbooks.Gateway.ApiKeys;

/// <summary>A machine caller's key as admins see it: never the secret, only the prefix that identifies it.</summary>
public sealed record ApiKey(string Id, string Name, string Role, string Prefix, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>A key just created: the only time its full value is shown.</summary>
public sealed record CreatedApiKey(string Id, string Name, string Role, string Prefix, DateTimeOffset CreatedAt, string Key);
