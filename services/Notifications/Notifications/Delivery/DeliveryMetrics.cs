using System.Diagnostics.Metrics;
using Playbooks.ServiceDefaults.Telemetry;

namespace Playbooks.Notifications.Delivery;

/// <summary>What SREs watch: outcomes per channel (sent, retry, dead, deferred).</summary>
internal static class DeliveryMetrics
{
    private static readonly Counter<long> Outcomes = PlaybooksTelemetry.Meter.CreateCounter<long>(
        "playbooks.notifications.outcomes", description: "Delivery attempts and deferrals by channel and outcome");

    public static void Record(DeliveryOutcome outcome) =>
        Outcomes.Add(1, new KeyValuePair<string, object?>("channel", outcome.Delivery.Channel), new KeyValuePair<string, object?>("outcome", outcome.Kind.ToString().ToLowerInvariant()));
}
