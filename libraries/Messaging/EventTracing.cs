using System.Diagnostics;
using System.Diagnostics.Metrics;
using Playbooks.ServiceDefaults.Telemetry;

namespace Playbooks.Messaging;

/// <summary>
/// Carries W3C trace context across the bus so a customer event and everything it causes is one trace, and measures
/// how long events wait on the bus.
/// </summary>
public static class EventTracing
{
    /// <summary>
    /// Seconds from the bus taking an event to a consumer group starting on it, per group and event type. (Not the metrics
    /// service's Prometheus gauge playbooks_bus_lag_seconds, which is how stale its folded figures are.)
    /// </summary>
    public static readonly Histogram<double> BusLag = PlaybooksTelemetry.Meter.CreateHistogram<double>(
        "playbooks.bus.consumer.lag", unit: "s", description: "Time from an event's publication on the bus to a consumer group starting to handle it");

    /// <summary>The current trace context, to stamp on an event created now.</summary>
    public static string? CurrentTraceParent() => Activity.Current?.Id;

    /// <summary>
    /// Handles one delivery inside a consumer span that continues the publisher's trace (its parent is the context the
    /// event was stamped with when it was created, not the relay that published it later), records the bus lag, and
    /// marks the span failed when the handler throws.
    /// </summary>
    /// <param name="publishedAt">When the bus took the event (wall clock: the in-process bus's publish call, a Redis entry id's time).</param>
    public static async Task ConsumeAsync(EventEnvelope envelope, string consumerGroup, DateTimeOffset publishedAt, EventHandler handler,
        CancellationToken cancellationToken)
    {
        var lag = DateTimeOffset.UtcNow - publishedAt;
        BusLag.Record(Math.Max(0, lag.TotalSeconds),
            new KeyValuePair<string, object?>("messaging.consumer.group.name", consumerGroup),
            new KeyValuePair<string, object?>("messaging.message.type", envelope.Type));

        using var activity = StartConsuming(envelope, consumerGroup);
        try
        {
            await handler(envelope, cancellationToken);
        }
        catch (Exception error)
        {
            activity?.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
            throw;
        }
    }

    /// <summary>A consumer span that continues the publisher's trace.</summary>
    public static Activity? StartConsuming(EventEnvelope envelope, string consumerGroup)
    {
        ActivityContext.TryParse(envelope.TraceParent, null, out var parent);
        var activity = PlaybooksTelemetry.ActivitySource.StartActivity($"consume {envelope.Type}", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "playbooks");
        activity?.SetTag("messaging.consumer.group.name", consumerGroup);
        activity?.SetTag("messaging.message.id", envelope.Id);
        activity?.SetTag("messaging.message.type", envelope.Type);
        if (envelope.AccountId is not null) activity?.SetTag("playbooks.account", envelope.AccountId);
        activity?.SetTag(PlaybooksTelemetry.ServiceTag, consumerGroup);
        return activity;
    }
}
