using Playbooks.Messaging;

namespace Playbooks.Metrics.Folding;

/// <summary>
/// An event on its way into the aggregates: its time in Unix milliseconds (the precision stored, so a rebuild computes
/// exactly the same durations) and its decoded payload, or null for an event no KPI reads or one that could not be read.
/// </summary>
internal sealed record FoldEvent(EventEnvelope Envelope, long At, object? Payload)
{
    public string Type => Envelope.Type;
}
