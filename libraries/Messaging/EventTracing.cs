using System.Diagnostics;
using Playbooks.ServiceDefaults.Telemetry;

namespace Playbooks.Messaging;

/// <summary>Carries W3C trace context across the bus so a customer event and everything it causes is one trace.</summary>
public static class EventTracing
{
    /// <summary>The current trace context, to stamp on an event created now.</summary>
    public static string? CurrentTraceParent() => Activity.Current?.Id;

    /// <summary>A consumer span that continues the publisher's trace.</summary>
    public static Activity? StartConsuming(EventEnvelope envelope, string consumerGroup)
    {
        ActivityContext.TryParse(envelope.TraceParent, null, out var parent);
        var activity = PlaybooksTelemetry.ActivitySource.StartActivity($"consume {envelope.Type}", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "playbooks");
        activity?.SetTag("messaging.consumer.group.name", consumerGroup);
        activity?.SetTag("messaging.message.id", envelope.Id);
        activity?.SetTag(PlaybooksTelemetry.ServiceTag, consumerGroup);
        return activity;
    }
}
