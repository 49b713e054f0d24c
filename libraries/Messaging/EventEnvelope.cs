using System.Text.Json;

namespace Playbooks.Messaging;

/// <summary>
/// One message on the suite's event bus. <see cref="Id"/> is stable across redeliveries, so consumers
/// deduplicate on it; <see cref="TraceParent"/> carries the W3C trace context so one customer event is one trace.
/// </summary>
public sealed record EventEnvelope(
    string Id,
    string Type,
    string Source,
    DateTimeOffset OccurredAt,
    string? AccountId,
    JsonElement Data,
    string? TraceParent = null);
