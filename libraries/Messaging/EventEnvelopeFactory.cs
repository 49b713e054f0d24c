using System.Text.Json;

namespace Playbooks.Messaging;

public static class EventEnvelopeFactory
{
    /// <summary>
    /// A new event stamped with <paramref name="traceParent"/>, or else the caller's trace context; <paramref name="id"/>
    /// defaults to a fresh one.
    /// </summary>
    public static EventEnvelope Create<T>(string type, string source, string? accountId, T data, DateTimeOffset occurredAt, string? id = null,
        string? traceParent = null) =>
        new(id ?? Guid.CreateVersion7().ToString("N"), type, source, occurredAt, accountId,
            JsonSerializer.SerializeToElement(data, JsonSerializerOptions.Web), traceParent ?? EventTracing.CurrentTraceParent());
}
