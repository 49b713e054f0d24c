using System.Text.Json;

namespace Playbooks.Messaging;

public static class EventEnvelopeFactory
{
    /// <summary>A new event stamped with the caller's trace context; <paramref name="id"/> defaults to a fresh one.</summary>
    public static EventEnvelope Create<T>(string type, string source, string? accountId, T data, DateTimeOffset occurredAt, string? id = null) =>
        new(id ?? Guid.CreateVersion7().ToString("N"), type, source, occurredAt, accountId,
            JsonSerializer.SerializeToElement(data, JsonSerializerOptions.Web), EventTracing.CurrentTraceParent());
}
