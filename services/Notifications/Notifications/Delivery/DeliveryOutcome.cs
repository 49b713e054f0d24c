using Playbooks.Messaging;

namespace Playbooks.Notifications.Delivery;

/// <summary>What became of one claimed delivery, recorded together with the event it publishes.</summary>
/// <param name="Counted">Whether an attempt was made (a deferral or an interrupted send found at start-up is not a new attempt).</param>
internal sealed record DeliveryOutcome(
    DeliveryRecord Delivery,
    OutcomeKind Kind,
    string? Error = null,
    long NextAttemptAt = 0,
    bool Counted = true,
    EventEnvelope? Event = null);

internal enum OutcomeKind
{
    Sent,

    /// <summary>A transient failure with attempts left: pending again at <see cref="DeliveryOutcome.NextAttemptAt"/>.</summary>
    Retry,

    Dead,

    /// <summary>Not attempted (quiet hours, rate limit, open circuit): pending again at <see cref="DeliveryOutcome.NextAttemptAt"/>.</summary>
    Deferred,
}
