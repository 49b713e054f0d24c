using Playbooks.Messaging.Contracts;
using Playbooks.Metrics.Folding.State;
using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Folding;

/// <summary>Accounts as <c>account.changed</c> describes them: segment (for grouping runs), owner, team and renewal date (coverage).</summary>
internal sealed partial class FoldBatch
{
    private void OnAccountChanged(FoldEvent e, AccountSnapshot after)
    {
        if (!Accounts.TryGetValue(after.Id, out var account)) Accounts[after.Id] = account = new AccountState { AccountId = after.Id };
        account.Segment = after.Segment ?? "";
        account.OwnerCsm = after.OwnerCsm ?? "";
        account.Team = after.Team ?? "";
        account.RenewalAt = after.RenewalDate is { } renewal ? UnixDay.Of(renewal) : null;
        account.UpdatedAt = e.At;
        account.Dirty = true;
    }
}
