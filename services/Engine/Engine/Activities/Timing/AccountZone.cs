using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Activities.Timing;

/// <summary>The account's time zone for counting days (UTC when it has none or an unknown one).</summary>
public static class AccountZone
{
    public static TimeZoneInfo Of(AccountSnapshot account) =>
        account.TimeZone is { Length: > 0 } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
