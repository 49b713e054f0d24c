using Playbooks.Engine.Accounts;
using Playbooks.Engine.Instances;

namespace Playbooks.Engine.Triggers;

/// <summary>What must follow a publish, unpublish or archive: new runs use the new version, and triggers are re-indexed and re-planned.</summary>
public sealed class PlaybookPublication(PlaybookVersions versions, TriggerIndex index, DatePlanner dates, AccountStore accounts)
{
    public async Task ChangedAsync(string definitionId, CancellationToken cancellationToken)
    {
        versions.Forget(definitionId);
        await index.RefreshAsync(cancellationToken);
        await dates.PlanAllAsync(accounts, cancellationToken);
    }
}
