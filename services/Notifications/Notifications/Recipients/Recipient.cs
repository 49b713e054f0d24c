using Playbooks.Messaging.Contracts;

namespace Playbooks.Notifications.Recipients;

/// <summary>One person or chat room a notification goes to, resolved from a rule and the account snapshot.</summary>
/// <param name="Address">Who it is, as the idempotency key and the rate limit see it: an email address, a user id or a webhook URL.</param>
/// <param name="Contact">What <c>{{contact.*}}</c> renders for this recipient.</param>
/// <param name="WebhookUrl">Where a chat message is posted.</param>
public sealed record Recipient(string Address, string? Name, Audience Audience, AccountContact Contact, string? WebhookUrl = null);

/// <summary>Customers get quiet hours; the CS team gets its alerts at once.</summary>
public enum Audience
{
    Customer,
    Team,
}
