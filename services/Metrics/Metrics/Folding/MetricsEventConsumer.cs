using Playbooks.Messaging;
using Playbooks.Messaging.Consumers;

namespace Playbooks.Metrics.Folding;

/// <summary>Takes every event on the bus: each is stored and folded once (see <see cref="FoldQueue"/>).</summary>
internal sealed class MetricsEventConsumer(FoldQueue queue) : IEventConsumer
{
    public IReadOnlyCollection<string> EventTypes { get; } = ["*"];

    public Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken) => queue.FoldAsync(envelope, cancellationToken);

    // A hundred accounts' events handed over at once let the queue fold them in one commit, not eight at a time: with
    // eight, the metrics service spent about six round trips to PostgreSQL on every event at 200 events a second.
    public int AccountsAtOnce => 100;

    // Dashboards can be a quarter of a second behind. A fold costs about fifteen statements and a commit however few
    // events it has, and at 20 account events a second (five entries each) nearly every entry was folded on its own:
    // the metrics service and its share of PostgreSQL took about a third of the two cores.
    public TimeSpan GatherFor => TimeSpan.FromMilliseconds(250);
}
