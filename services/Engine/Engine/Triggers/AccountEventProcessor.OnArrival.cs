using System.Text.Json.Nodes;
using Npgsql;
using Playbooks.Engine.Instances;
using Playbooks.Engine.Storage;
using Playbooks.Storage;

namespace Playbooks.Engine.Triggers;

/// <summary>
/// On PostgreSQL, an account's event that can only start playbooks (nothing waits on it, no run exits on it, no goal
/// counts it) is handled in the transaction that stores it: the event, the runs it starts with their first tasks'
/// events, its republication and its mark commit together, before the sender hears 202. Handled in a lane after its own
/// commit, it took three transactions (storing, the runs' group commit, the mark) and a hand-off between threads at
/// each: the distributed benchmark's event → task path spent most of PostgreSQL's CPU on them.
/// <para>
/// The rules hold as in a lane: the account's lock, taken where the event is stored, keeps its events in order; the
/// context read there is read under that lock; the cap is counted again in the commit, under the lock a lone start
/// takes. A crash before the commit loses nothing the sender was told was stored. Anything else (a run waits on the
/// event, a run would end at once or change the account, the published playbooks changed) commits the event as it is
/// stored and claimed, for a lane to handle as before.
/// </para>
/// </summary>
internal sealed partial class AccountEventProcessor
{
    /// <summary>
    /// Whether an event of <paramref name="type"/> can be handled as it is stored, as far as the trigger index tells: it
    /// is not an account change (which re-plans dates) or a health score (which changes the account), no playbook exits
    /// or counts a goal on it, and the playbooks it triggers do not call out as their runs start (their first steps may
    /// be executed and then dropped, when the event turns out not to be one to handle here).
    /// </summary>
    internal static bool MayHandleOnArrival(string type, TriggerIndex.Snapshot snapshot) =>
        type is not (AccountChanges.EventType or "health.changed")
        && !snapshot.ExitsByEventType.ContainsKey(type)
        && !snapshot.Published.Any(playbook => playbook.Definition.Goal?.EventType == type)
        && snapshot.ByEventType.GetValueOrDefault(type, []).All(entry => !entry.Playbook.CallsOut);

    /// <summary>The commit that was to store and handle an event failed, or its answer was lost: whether it happened is unknown.</summary>
    internal sealed class InDoubt(Exception error) : Exception("Committing an event with its handling failed", error);

    /// <summary>
    /// Handles <paramref name="stored"/>, just stored and claimed in <paramref name="connection"/>'s open transaction, and
    /// commits it all. False, with nothing sent and the transaction still open, when the event is not one to handle here.
    /// Throws <see cref="InDoubt"/> when the commit fails.
    /// </summary>
    internal async Task<bool> TryHandleOnArrivalAsync(NpgsqlConnection connection, AccountEventLog.Stored stored, string? published, ContextToRead read)
    {
        // The triggers are those of the published set read with the event.
        if (read.Context is not { Account: { } account, Waiting.Count: 0 } context || published is null || read.Snapshot.PublishedSet != published)
            return false;
        using var span = StartProcessing(stored);
        var payload = Payload(stored, read.AccountId, JsonNode.Parse(stored.Data), EngineJson.At(stored.OccurredAt));
        var starts = new List<InstanceRuntime.PreparedStart>();
        try
        {
            foreach (var entry in read.Snapshot.ByEventType.GetValueOrDefault(stored.Type, []))
            {
                if (await starter.RefusalAsync(entry, account, payload, context.Standings.GetValueOrDefault(entry.Playbook.DefinitionId), CancellationToken.None) is not null)
                    continue;
                var id = TriggerStarter.RunId(entry, account, $"event:{stored.Id}");
                // Two triggers of one playbook on this event start one run.
                if (starts.Any(start => start.Start.Instance.Id == id)) continue;
                if (await runtime.PrepareStartAsync(entry.Playbook, account, payload, id) is not { } prepared) return false;
                starts.Add(prepared);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The lane handles it, and logs what failed.
            return false;
        }

        var republished = Republished(stored);
        await using var batch = new NpgsqlBatch(connection);
        if (starts.Count > 0) batch.BatchCommands.Add(StartCommits.CapLocks(starts.Select(s => s.Start)));
        batch.BatchCommands.Add(StartCommits.AdmittedByRules([.. starts.Select(s => s.Start)], [republished]));
        batch.BatchCommands.Add(new("UPDATE account_events SET processed_at = $1 WHERE seq = $2")
        {
            Parameters = { new NpgsqlParameter<long> { TypedValue = EngineJson.Millis(clock.GetUtcNow()) }, new NpgsqlParameter<long> { TypedValue = stored.Seq } },
        });
        batch.BatchCommands.Add(new("COMMIT"));
        var admitted = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None);
            if (starts.Count > 0) await reader.NextResultAsync(CancellationToken.None);
            while (await reader.ReadAsync(CancellationToken.None)) admitted.Add(reader.GetString(0));
            // The mark's and the commit's answers: a failed commit shows here.
            while (await reader.NextResultAsync(CancellationToken.None)) { }
        }
        catch (Exception error) when (error is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            throw new InDoubt(error);
        }
        foreach (var start in starts.Where(s => admitted.Contains(s.Start.Instance.Id))) runtime.Started(start);
        outbox.Committed([republished]);
        return true;
    }
}
