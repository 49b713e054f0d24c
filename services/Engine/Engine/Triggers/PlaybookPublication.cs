using Microsoft.Extensions.Hosting;
using Playbooks.Engine.Accounts;
using Playbooks.Engine.Instances;
using Playbooks.Messaging.Cluster;

namespace Playbooks.Engine.Triggers;

/// <summary>
/// What must follow a publish, unpublish or archive: new runs use the new version, and triggers are re-indexed and
/// re-planned. The replica that published does all of it and tells the others (Redis pub/sub in distributed mode), which
/// forget the published version and re-index at once; date triggers are rows, planned once by the publisher.
/// </summary>
public sealed class PlaybookPublication(PlaybookVersions versions, TriggerIndex index, DatePlanner dates, AccountStore accounts, IClusterBroadcast broadcast)
{
    public const string Channel = "playbooks:engine:definitions";

    public async Task ChangedAsync(string definitionId, CancellationToken cancellationToken)
    {
        versions.Forget(definitionId);
        await index.RefreshAsync(cancellationToken);
        await broadcast.PublishAsync(Channel, definitionId);
        await dates.PlanAllAsync(accounts, cancellationToken);
    }

    /// <summary>Another replica published: drop what this one cached about it.</summary>
    public async Task ChangedElsewhereAsync(string definitionId, CancellationToken cancellationToken)
    {
        versions.Forget(definitionId);
        await index.RefreshAsync(cancellationToken);
    }
}

/// <summary>Listens for other replicas' publishes for as long as the engine runs.</summary>
internal sealed class PublicationListener(PlaybookPublication publication, IClusterBroadcast broadcast) : IHostedService
{
    private IDisposable? _subscription;

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _subscription = await broadcast.SubscribeAsync(PlaybookPublication.Channel, definitionId => publication.ChangedElsewhereAsync(definitionId, CancellationToken.None));

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
