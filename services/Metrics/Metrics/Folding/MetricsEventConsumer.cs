using Playbooks.Messaging;
using Playbooks.Messaging.Consumers;

namespace Playbooks.Metrics.Folding;

/// <summary>Takes every event on the bus: each is stored and folded once (see <see cref="FoldQueue"/>).</summary>
internal sealed class MetricsEventConsumer(FoldQueue queue) : IEventConsumer
{
    public IReadOnlyCollection<string> EventTypes { get; } = ["*"];

    public Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken) => queue.FoldAsync(envelope, cancellationToken);
}
