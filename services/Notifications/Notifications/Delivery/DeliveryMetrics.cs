using System.Diagnostics.Metrics;
using Playbooks.ServiceDefaults.Telemetry;

namespace Playbooks.Notifications.Delivery;

/// <summary>What SREs watch: outcomes per channel (sent, retry, dead, deferred).</summary>
internal static class DeliveryMetrics
{
    private static readonly Counter<long> Outcomes = PlaybooksTelemetry.Meter.CreateCounter<long>(
        "playbooks.notifications.outcomes", description: "Delivery attempts and deferrals by channel and outcome");

    /// <summary>Failed sends only, per channel: <c>final=false</c> will be retried, <c>final=true</c> went to the dead letters.</summary>
    private static readonly Counter<long> Failures = PlaybooksTelemetry.Meter.CreateCounter<long>(
        "playbooks.notifications.delivery_failures", description: "Failed notification deliveries by channel; final=true means dead-lettered");

    public static void Record(DeliveryOutcome outcome)
    {
        var channel = new KeyValuePair<string, object?>("channel", outcome.Delivery.Channel);
        Outcomes.Add(1, channel, new KeyValuePair<string, object?>("outcome", outcome.Kind.ToString().ToLowerInvariant()));
        if (outcome.Kind is OutcomeKind.Retry or OutcomeKind.Dead)
            Failures.Add(1, channel, new KeyValuePair<string, object?>("final", outcome.Kind == OutcomeKind.Dead));
    }
}
