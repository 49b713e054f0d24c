using Playbooks.Messaging.Contracts;

namespace Playbooks.Metrics.Folding;

/// <summary>The payload of <c>account.changed</c>, which the engine republishes with the account before and after.</summary>
internal sealed record AccountChange(AccountSnapshot? Before, AccountSnapshot? After)
{
    public const string EventType = "account.changed";
}
