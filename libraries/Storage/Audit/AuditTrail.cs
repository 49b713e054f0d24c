using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Playbooks.ServiceDefaults.Hosting;
using Playbooks.ServiceDefaults.Security;

namespace Playbooks.Storage.Audit;

/// <summary>
/// Writes and reads a service's audit log. Entries are written right after the change they describe commits, by the
/// endpoint that made it, so the actor is the verified caller.
/// </summary>
public sealed class AuditTrail(ServiceDatabase database, ServiceIdentity service, TimeProvider clock)
{
    public const int MaxLimit = 1000;

    public async Task RecordAsync(Actor actor, string action, string subject, object? before, object? after, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_log (at, actor, role, action, subject, before_json, after_json)
            VALUES (@At, @Actor, @Role, @Action, @Subject, @Before, @After)
            """,
            new { At = clock.GetUtcNow().ToUnixTimeMilliseconds(), Actor = actor.Id, actor.Role, Action = action, Subject = subject, Before = Json(before), After = Json(after) },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        var where = new List<string>();
        if (query.Action is not null) where.Add("action = @Action");
        if (query.Actor is not null) where.Add("actor = @Actor");
        if (query.Subject is not null) where.Add("subject = @Subject");
        if (query.From is not null) where.Add("at >= @FromMs");
        if (query.To is not null) where.Add("at < @ToMs");
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition($"""
            SELECT seq AS Seq, at AS At, actor AS Actor, role AS Role, action AS Action, subject AS Subject, before_json AS BeforeJson, after_json AS AfterJson
            FROM audit_log {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))}
            ORDER BY seq DESC LIMIT @Limit
            """,
            new
            {
                query.Action, Actor = query.Actor?.ToLowerInvariant(), query.Subject, FromMs = query.From?.ToUnixTimeMilliseconds(),
                ToMs = query.To?.ToUnixTimeMilliseconds(), Limit = Math.Clamp(query.Limit, 1, MaxLimit),
            },
            cancellationToken: cancellationToken));
        return rows.Select(r => new AuditEntry($"{service.Name}-{r.Seq}", DateTimeOffset.FromUnixTimeMilliseconds(r.At), service.Name, r.Actor, r.Role,
            r.Action, r.Subject, Parse(r.BeforeJson), Parse(r.AfterJson))).ToList();
    }

    private static string? Json(object? value) => value switch
    {
        null => null,
        JsonNode node => node.ToJsonString(),
        _ => JsonSerializer.Serialize(value, value.GetType(), JsonSerializerOptions.Web),
    };

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);

    private sealed class AuditRow
    {
        public long Seq { get; init; }
        public long At { get; init; }
        public string Actor { get; init; } = "";
        public string Role { get; init; } = "";
        public string Action { get; init; } = "";
        public string Subject { get; init; } = "";
        public string? BeforeJson { get; init; }
        public string? AfterJson { get; init; }
    }
}
