using System.Text.Json;
using Playbooks.Messaging;

namespace Playbooks.Metrics.Folding;

/// <summary>
/// An incident account event as the engine republishes it: <c>incident.opened</c>, or <c>incident.resolved</c> /
/// <c>incident.closed</c>. The incident is <c>data.incidentId</c>, else <c>data.id</c> (else, when opening, the event id);
/// the accounts are the event's account or <c>data.accountIds</c>; the severity is <c>data.severity</c>.
/// </summary>
internal sealed record IncidentSignal(string? IncidentId, IReadOnlyList<string> AccountIds, string Severity, bool Opens)
{
    public const string Opened = "incident.opened";
    public const string Resolved = "incident.resolved";
    public const string Closed = "incident.closed";

    public static bool Is(string type) => type is Opened or Resolved or Closed;

    public static IncidentSignal From(EventEnvelope envelope)
    {
        var data = envelope.Data;
        var isObject = data.ValueKind == JsonValueKind.Object;
        var opens = envelope.Type == Opened;
        var id = (isObject ? Text(data, "incidentId") ?? Text(data, "id") : null) ?? (opens ? envelope.Id : null);
        IReadOnlyList<string> accounts = envelope.AccountId is { Length: > 0 } account ? [account]
            : isObject && data.TryGetProperty("accountIds", out var ids) && ids.ValueKind == JsonValueKind.Array
                ? ids.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!).Distinct().ToList()
                : [];
        var severity = isObject && data.TryGetProperty("severity", out var value) ? NormalizeSeverity(value) : "";
        return new IncidentSignal(id, accounts, severity, opens);
    }

    /// <summary>"SEV-1", "sev1", "Sev 1", "1" and 1 are all SEV-1; text without a number is kept, upper-cased.</summary>
    public static string NormalizeSeverity(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString() ?? "",
            _ => "",
        };
        var digits = new string(text.SkipWhile(c => !char.IsAsciiDigit(c)).TakeWhile(char.IsAsciiDigit).ToArray());
        return digits.Length > 0 ? $"SEV-{(digits.TrimStart('0') is { Length: > 0 } number ? number : "0")}" : text.Trim().ToUpperInvariant();
    }

    private static string? Text(JsonElement data, string property) =>
        data.TryGetProperty(property, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
