namespace Playbooks.Notifications.Delivery;

/// <summary>Where a delivery stands.</summary>
public static class DeliveryStatus
{
    /// <summary>Waiting for its next attempt (<c>nextAttemptAt</c>), including deferrals for quiet hours, rate limits and open circuits.</summary>
    public const string Pending = "pending";

    /// <summary>Claimed by a dispatcher that is sending it now.</summary>
    public const string Sending = "sending";

    public const string Sent = "sent";

    /// <summary>Dead-lettered: refused permanently, out of attempts, or interrupted mid-send. <c>lastError</c> says why; it can be retried.</summary>
    public const string Dead = "dead";

    /// <summary>Could not even be built (unknown template, invalid address, no such contact): fix the request and send it again.</summary>
    public const string Rejected = "rejected";

    public static readonly IReadOnlyList<string> All = [Pending, Sending, Sent, Dead, Rejected];
}
