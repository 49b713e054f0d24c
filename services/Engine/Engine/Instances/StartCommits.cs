using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Storage;
using Playbooks.Messaging;
using Playbooks.Storage;

namespace Playbooks.Engine.Instances;

/// <summary>
/// Group commit for new runs on PostgreSQL. Runs started at the same moment (a burst of account events, an import, a
/// schedule firing for a segment) are written by one transaction with one statement per table, instead of a
/// transaction of nine round trips each: the database then spends its time on rows, not on statements and commits.
/// <para>
/// Each run keeps the rules it has alone: one whose id exists (a redelivered trigger) is refused, and so is one whose
/// account is at the playbook's cap of running instances — counted with the runs ahead of it in the same group, under
/// the same per-account-and-playbook lock a lone start takes. If a group's transaction fails, every run in it is handed
/// back to be committed on its own, so one bad run cannot fail its neighbours.
/// </para>
/// </summary>
public sealed partial class StartCommits(ServiceDatabase database, ILogger<StartCommits> logger) : IDisposable
{
    // Enough groups in flight that one waits on its fsync while the next is written; enough runs per group that a
    // burst of a few hundred starts commits in a handful of transactions.
    private const int Committers = 3;
    private const int MaxGroup = 64;

    private readonly Channel<StartToCommit> _queue = Channel.CreateUnbounded<StartToCommit>();
    private int _started;

    /// <summary>
    /// Only a run still running after its first steps that changes nothing but itself joins a group; others (one that
    /// ended or faulted at once, one that changed the account) commit alone. A new run never has a task outcome waiting
    /// for it (its task keys carry its new id), so the group skips the lone path's look for parked outcomes.
    /// </summary>
    public bool Takes(InstanceState instance, RunEffects effects) =>
        database.Provider == DatabaseProvider.Postgres && effects.AccountChanges.Count == 0 && instance.Status == InstanceStatus.Running;

    public async Task<StartCommitted> CommitAsync(StartToCommit start)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
            for (var i = 0; i < Committers; i++) _ = Task.Run(CommitGroupsAsync);
        if (!_queue.Writer.TryWrite(start)) return StartCommitted.Alone;
        return await start.Committed.Task;
    }

    public void Dispose() => _queue.Writer.TryComplete();

    private async Task CommitGroupsAsync()
    {
        var group = new List<StartToCommit>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var start)) group.Add(start);
            if (group.Count == 0) continue;
            try
            {
                var admitted = await CommitGroupAsync(group);
                foreach (var start in group) start.Committed.TrySetResult(admitted.Contains(start) ? StartCommitted.Saved : StartCommitted.Refused);
            }
            catch (CommitInDoubt doubt)
            {
                // The commit may have happened (a connection lost in its reply): what is in the database decides.
                LogGroupFailed(logger, group.Count, doubt.InnerException!);
                var written = await WrittenAsync(doubt.Admitted);
                var committed = written is not null && doubt.Admitted.Count > 0 && doubt.Admitted.All(start => written.Contains(start.Instance.Id));
                foreach (var start in group)
                    start.Committed.TrySetResult(!committed ? StartCommitted.Alone : doubt.Admitted.Contains(start) ? StartCommitted.Saved : StartCommitted.Refused);
            }
            catch (Exception error)
            {
                LogGroupFailed(logger, group.Count, error);
                foreach (var start in group) start.Committed.TrySetResult(StartCommitted.Alone);
            }
        }
    }

    /// <summary>
    /// Two round trips: BEGIN and the rules, then the rows and COMMIT. The transaction is begun and committed by the
    /// batches themselves, so the commit rides with the rows instead of costing a round trip of its own; a connection
    /// returned to the pool inside a transaction (a failure between the two) is rolled back by Npgsql.
    /// </summary>
    private async Task<HashSet<StartToCommit>> CommitGroupAsync(List<StartToCommit> group)
    {
        await using var connection = (NpgsqlConnection)await database.OpenAsync(CancellationToken.None);

        var (existing, running) = await ReadRulesAsync(connection, group);
        var admitted = new HashSet<StartToCommit>();
        foreach (var start in group)
        {
            if (!existing.Add(start.Instance.Id)) continue;
            var key = (start.Instance.AccountId, start.Instance.DefinitionId);
            var count = running.GetValueOrDefault(key);
            if (count >= start.MaxActivePerAccount) continue;
            running[key] = count + 1;
            admitted.Add(start);
        }
        try
        {
            await InsertAndCommitAsync(connection, group.Where(admitted.Contains).ToList());
        }
        catch (PostgresException)
        {
            // The database refused a statement: nothing of the group was committed.
            throw;
        }
        catch (Exception error)
        {
            throw new CommitInDoubt(admitted, error);
        }
        return admitted;
    }

    /// <summary>Which of the runs were written after all; null when the database cannot say either.</summary>
    private async Task<HashSet<string>?> WrittenAsync(HashSet<StartToCommit> admitted)
    {
        try
        {
            await using var connection = (NpgsqlConnection)await database.OpenAsync(CancellationToken.None);
            await using var command = new NpgsqlCommand("SELECT id FROM instances WHERE id = ANY($1)", connection)
            {
                Parameters = { SqlLists.Array(admitted.Select(s => s.Instance.Id)) },
            };
            await using var reader = await command.ExecuteReaderAsync();
            var written = new HashSet<string>(StringComparer.Ordinal);
            while (await reader.ReadAsync()) written.Add(reader.GetString(0));
            return written;
        }
        catch (Exception error) when (error is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return null;
        }
    }

    private sealed class CommitInDoubt(HashSet<StartToCommit> admitted, Exception error) : Exception("The group's commit failed or its reply was lost", error)
    {
        public HashSet<StartToCommit> Admitted { get; } = admitted;
    }

    /// <summary>
    /// Takes the per-account-and-playbook locks a lone start takes (in one order, so two groups cannot deadlock), then
    /// reads which ids exist already and how many runs each account has going: one round trip. The transaction keeps
    /// generic plans (<see cref="GenericPlans"/>): these two reads were planned afresh for every group.
    /// </summary>
    private static async Task<(HashSet<string> Existing, Dictionary<(string, string), long> Running)> ReadRulesAsync(
        NpgsqlConnection connection, List<StartToCommit> group)
    {
        var pairs = group.Select(s => (s.Instance.AccountId, s.Instance.DefinitionId)).Distinct().ToList();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                // OFFSET 0 keeps the sorted subquery from being flattened, so the locks are taken in hash order.
                Command("SELECT COUNT(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS k ORDER BY 1 OFFSET 0) AS ordered",
                    SqlLists.Array(group.Select(s => $"{s.Instance.AccountId}|{s.Instance.DefinitionId}"))),
                Command("SELECT id FROM instances WHERE id = ANY($1)", SqlLists.Array(group.Select(s => s.Instance.Id))),
                // One count per account and playbook, each an instances_account index lookup: with both as ANY lists the
                // planner went through every running run of the playbook instead (2.6 ms a group with 3,300 running).
                Command("""
                    SELECT pair.account_id, pair.definition_id,
                           (SELECT COUNT(*) FROM instances i WHERE i.account_id = pair.account_id AND i.definition_id = pair.definition_id AND i.status = 'running')
                    FROM unnest($1::text[], $2::text[]) AS pair (account_id, definition_id)
                    """, SqlLists.Array(pairs.Select(p => p.AccountId)), SqlLists.Array(pairs.Select(p => p.DefinitionId))),
            },
        };
        await using var reader = await batch.BeginsTransaction().ExecuteReaderAsync();
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await reader.NextResultAsync();
        while (await reader.ReadAsync()) existing.Add(reader.GetString(0));
        await reader.NextResultAsync();
        var running = new Dictionary<(string, string), long>();
        while (await reader.ReadAsync()) running[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        return (existing, running);
    }

    /// <summary>
    /// The group's instances, bookmarks, journal and outbox rows, one statement per table, and COMMIT: one round trip. A
    /// new run's events have new ids, so their insert needs no ON CONFLICT, whose speculative insertion made it the
    /// dearest of the four.
    /// </summary>
    private static async Task InsertAndCommitAsync(NpgsqlConnection connection, List<StartToCommit> starts)
    {
        if (starts.Count == 0)
        {
            await using var commit = new NpgsqlCommand("COMMIT", connection);
            await commit.ExecuteNonQueryAsync();
            return;
        }
        var instances = starts.Select(s => s.Instance).ToList();
        var bookmarks = instances.SelectMany(i => i.Bookmarks.Select(b => (Instance: i.Id, Bookmark: b))).ToList();
        var journal = starts.SelectMany(s => s.Journal).ToList();
        var events = starts.SelectMany(s => s.Events).ToList();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command("""
                    INSERT INTO instances (id, definition_id, version, account_id, status, state, revision, created_at, updated_at, ended_at)
                    SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::bigint[], $9::bigint[], $10::bigint[])
                    """,
                    SqlLists.Array(instances.Select(i => i.Id)), SqlLists.Array(instances.Select(i => i.DefinitionId)), SqlLists.Array(instances.Select(i => i.Version)),
                    SqlLists.Array(instances.Select(i => i.AccountId)), SqlLists.Array(instances.Select(i => i.Status.ToString().ToLowerInvariant())),
                    SqlLists.Array(starts.Select(s => s.State)), SqlLists.Array(instances.Select(i => i.Revision)),
                    SqlLists.Array(instances.Select(i => (long?)EngineJson.Millis(i.CreatedAt))), SqlLists.Array(instances.Select(i => (long?)EngineJson.Millis(i.UpdatedAt))),
                    SqlLists.Array(instances.Select(i => i.EndedAt is { } ended ? EngineJson.Millis(ended) : (long?)null))),
                Command("""
                    INSERT INTO bookmarks (id, instance_id, activity_id, kind, key, due_at)
                    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
                    """,
                    SqlLists.Array(bookmarks.Select(b => b.Bookmark.Id)), SqlLists.Array(bookmarks.Select(b => b.Instance)), SqlLists.Array(bookmarks.Select(b => b.Bookmark.ActivityId)),
                    SqlLists.Array(bookmarks.Select(b => b.Bookmark.Kind)), SqlLists.Array(bookmarks.Select(b => b.Bookmark.Key)),
                    SqlLists.Array(bookmarks.Select(b => b.Bookmark.DueAt is { } due ? EngineJson.Millis(due) : (long?)null))),
                Command("""
                    INSERT INTO journal (instance_id, activity_id, activity_type, status, outcome, inputs, output, error, started_at, ended_at)
                    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[])
                    """,
                    SqlLists.Array(journal.Select(j => j.InstanceId)), SqlLists.Array(journal.Select(j => j.ActivityId)), SqlLists.Array(journal.Select(j => j.ActivityType)),
                    SqlLists.Array(journal.Select(j => j.Status)), SqlLists.Array(journal.Select(j => j.Outcome)), SqlLists.Array(journal.Select(j => j.Inputs?.ToJsonString())),
                    SqlLists.Array(journal.Select(j => j.Output?.ToJsonString())), SqlLists.Array(journal.Select(j => j.Error)),
                    SqlLists.Array(journal.Select(j => (long?)EngineJson.Millis(j.StartedAt))), SqlLists.Array(journal.Select(j => (long?)EngineJson.Millis(j.EndedAt)))),
                Command(Playbooks.Messaging.Outbox.Outbox.InsertFromArrays, Playbooks.Messaging.Outbox.Outbox.AsArrays(events)),
                new("COMMIT"),
            },
        };
        await batch.ExecuteNonQueryAsync();
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Committing a group of {Count} new runs failed; committing each on its own")]
    private static partial void LogGroupFailed(ILogger logger, int count, Exception error);
}

/// <summary>A new run ready to be written: its state as stored, its journal and the events it emits.</summary>
public sealed class StartToCommit(InstanceState instance, string state, IReadOnlyList<JournalEntry> journal, IReadOnlyList<EventEnvelope> events, int maxActivePerAccount)
{
    public InstanceState Instance { get; } = instance;
    public string State { get; } = state;
    public IReadOnlyList<JournalEntry> Journal { get; } = journal;
    public IReadOnlyList<EventEnvelope> Events { get; } = events;
    public int MaxActivePerAccount { get; } = maxActivePerAccount;
    internal TaskCompletionSource<StartCommitted> Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

public enum StartCommitted
{
    /// <summary>Written with its group.</summary>
    Saved,
    /// <summary>Not written: its id exists (a redelivered trigger) or its account is at the playbook's cap.</summary>
    Refused,
    /// <summary>Not written: commit it on its own.</summary>
    Alone,
}
