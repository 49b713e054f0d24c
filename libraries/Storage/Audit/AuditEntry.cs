using System.Text.Json.Nodes;

namespace Playbooks.Storage.Audit;

/// <summary>One recorded change: who did what to which thing, and how it looked before and after.</summary>
/// <param name="Id">Unique across the suite: <c>{service}-{sequence}</c>.</param>
/// <param name="Subject">What changed, e.g. <c>definition:kickoff</c> or <c>instance:ins_123</c>.</param>
public sealed record AuditEntry(string Id, DateTimeOffset At, string Service, string Actor, string Role, string Action, string Subject,
    JsonNode? Before, JsonNode? After);

/// <summary>Filters for the audit log; all optional, combined with AND. Newest entries first.</summary>
public sealed record AuditQuery(string? Action = null, string? Actor = null, string? Subject = null, DateTimeOffset? From = null,
    DateTimeOffset? To = null, int Limit = 100);
