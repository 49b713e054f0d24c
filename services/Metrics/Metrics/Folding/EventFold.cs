using System.Data.Common;
using Playbooks.Messaging;
using Playbooks.Storage;

namespace Playbooks.Metrics.Folding;

/// <summary>Folds events into the aggregates inside the caller's transaction: decode, load the state they touch, apply in order, write.</summary>
internal sealed class EventFold(EventDecoder decoder, FoldRules rules, ServiceDatabase database)
{
    public async Task ApplyAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        var events = envelopes.Select(decoder.Decode).ToList();
        var batch = await FoldStateLoader.LoadAsync(connection, transaction, database.Provider, events, rules);
        foreach (var e in events) batch.Apply(e);
        await FoldStateWriter.SaveAsync(connection, transaction, database.Provider, batch, cancellationToken);
    }
}
