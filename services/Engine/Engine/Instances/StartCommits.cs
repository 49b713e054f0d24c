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
/// schedule firing for a segment) are written by one transaction of one round trip, whose one statement writes every
/// table's rows, instead of a transaction of nine round trips each: the database then spends its time on rows, not on
/// statements and commits.
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
                // The commit may have happened (a connection lost in its reply): what is in the database decides. A run
                // written with this start's creation time is this group's; one written with another is an earlier
                // start's (a redelivered trigger's first delivery), so this one is refused; the rest commit on their own.
                LogGroupFailed(logger, group.Count, doubt.InnerException!);
                var written = await WrittenAsync(group);
                foreach (var start in group)
                    start.Committed.TrySetResult(written?.GetValueOrDefault(start.Instance.Id) switch
                    {
                        null => StartCommitted.Alone,
                        var createdAt when createdAt == EngineJson.Millis(start.Instance.CreatedAt) => StartCommitted.Saved,
                        _ => StartCommitted.Refused,
                    });
            }
            catch (Exception error)
            {
                LogGroupFailed(logger, group.Count, error);
                foreach (var start in group) start.Committed.TrySetResult(StartCommitted.Alone);
            }
        }
    }

    /// <summary>The runs the group's rules admitted, now committed; throws <see cref="CommitInDoubt"/> when the commit's outcome is unknown.</summary>
    private async Task<HashSet<StartToCommit>> CommitGroupAsync(List<StartToCommit> group)
    {
        await using var connection = (NpgsqlConnection)await database.OpenAsync(CancellationToken.None);
        try
        {
            return await WriteGroupAsync(connection, group);
        }
        catch (PostgresException)
        {
            // The database refused a statement: nothing of the group was committed.
            throw;
        }
        catch (Exception error)
        {
            throw new CommitInDoubt(error);
        }
    }

    /// <summary>The runs of the group that exist, with their creation times (Unix ms); null when the database cannot say.</summary>
    private async Task<Dictionary<string, long?>?> WrittenAsync(List<StartToCommit> group)
    {
        try
        {
            await using var connection = (NpgsqlConnection)await database.OpenAsync(CancellationToken.None);
            await using var command = new NpgsqlCommand("SELECT id, created_at FROM instances WHERE id = ANY($1)", connection)
            {
                Parameters = { SqlLists.Array(group.Select(s => s.Instance.Id)) },
            };
            await using var reader = await command.ExecuteReaderAsync();
            var written = new Dictionary<string, long?>(StringComparer.Ordinal);
            while (await reader.ReadAsync()) written[reader.GetString(0)] = reader.GetInt64(1);
            return written;
        }
        catch (Exception error) when (error is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return null;
        }
    }

    private sealed class CommitInDoubt(Exception error) : Exception("The group's commit failed or its reply was lost", error);

    /// <summary>
    /// One round trip: BEGIN, the per-account-and-playbook locks a lone start takes (in one order, so two groups cannot
    /// deadlock), one statement that applies the rules and writes the runs they admit (<see cref="WriteAdmittedSql"/>),
    /// and COMMIT. That statement reads the database as it stands once the locks are held, so it counts the runs another
    /// group committed under them. The transaction keeps generic plans (<see cref="GenericPlans"/>). Before, the rules
    /// were read in a round trip of their own and applied here, a second round trip on every event's way to its task.
    /// </summary>
    private static async Task<HashSet<StartToCommit>> WriteGroupAsync(NpgsqlConnection connection, List<StartToCommit> group)
    {
        var instances = group.Select(s => s.Instance).ToList();
        // Each bookmark, journal line and event names its run by the run's place in the group (from 1, as WITH ORDINALITY
        // numbers the runs), so the statement writes only the admitted runs' rows.
        var bookmarks = group.SelectMany((s, i) => s.Instance.Bookmarks.Select(b => (Place: i + 1L, Instance: s.Instance.Id, Bookmark: b))).ToList();
        var journal = group.SelectMany((s, i) => s.Journal.Select(j => (Place: i + 1L, Line: j))).ToList();
        var events = group.SelectMany((s, i) => s.Events.Select(e => (Place: i + 1L, Event: e))).ToList();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                // OFFSET 0 keeps the sorted subquery from being flattened, so the locks are taken in hash order.
                Command("SELECT COUNT(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS k ORDER BY 1 OFFSET 0) AS ordered",
                    SqlLists.Array(group.Select(s => $"{s.Instance.AccountId}|{s.Instance.DefinitionId}"))),
                Command(WriteAdmittedSql,
                [
                    SqlLists.Array(instances.Select(i => i.Id)), SqlLists.Array(instances.Select(i => i.DefinitionId)), SqlLists.Array(instances.Select(i => i.Version)),
                    SqlLists.Array(instances.Select(i => i.AccountId)), SqlLists.Array(instances.Select(i => i.Status.ToString().ToLowerInvariant())),
                    SqlLists.Array(group.Select(s => s.State)), SqlLists.Array(instances.Select(i => i.Revision)),
                    SqlLists.Array(instances.Select(i => (long?)EngineJson.Millis(i.CreatedAt))), SqlLists.Array(instances.Select(i => (long?)EngineJson.Millis(i.UpdatedAt))),
                    SqlLists.Array(instances.Select(i => i.EndedAt is { } ended ? EngineJson.Millis(ended) : (long?)null)),
                    SqlLists.Array(group.Select(s => s.MaxActivePerAccount)),
                    SqlLists.Array(bookmarks.Select(b => b.Place)), SqlLists.Array(bookmarks.Select(b => b.Bookmark.Id)), SqlLists.Array(bookmarks.Select(b => b.Instance)),
                    SqlLists.Array(bookmarks.Select(b => b.Bookmark.ActivityId)), SqlLists.Array(bookmarks.Select(b => b.Bookmark.Kind)),
                    SqlLists.Array(bookmarks.Select(b => b.Bookmark.Key)),
                    SqlLists.Array(bookmarks.Select(b => b.Bookmark.DueAt is { } due ? EngineJson.Millis(due) : (long?)null)),
                    SqlLists.Array(journal.Select(j => j.Place)), SqlLists.Array(journal.Select(j => j.Line.InstanceId)), SqlLists.Array(journal.Select(j => j.Line.ActivityId)),
                    SqlLists.Array(journal.Select(j => j.Line.ActivityType)), SqlLists.Array(journal.Select(j => j.Line.Status)), SqlLists.Array(journal.Select(j => j.Line.Outcome)),
                    SqlLists.Array(journal.Select(j => j.Line.Inputs?.ToJsonString())), SqlLists.Array(journal.Select(j => j.Line.Output?.ToJsonString())),
                    SqlLists.Array(journal.Select(j => j.Line.Error)), SqlLists.Array(journal.Select(j => (long?)EngineJson.Millis(j.Line.StartedAt))),
                    SqlLists.Array(journal.Select(j => (long?)EngineJson.Millis(j.Line.EndedAt))),
                    SqlLists.Array(events.Select(e => e.Place)), .. Playbooks.Messaging.Outbox.Outbox.AsArrays(events.Select(e => e.Event)),
                ]),
            },
        };
        var admitted = new HashSet<StartToCommit>();
        await using (var reader = await batch.InTransaction().ExecuteReaderAsync())
        {
            // The reader starts on the locks' count; the admitted runs' places come next.
            await reader.NextResultAsync();
            while (await reader.ReadAsync()) admitted.Add(group[(int)reader.GetInt64(0) - 1]);
        }
        return admitted;
    }

    /// <summary>
    /// The rules a lone start keeps, applied to the group in its order: a run whose id exists (a redelivered trigger) is
    /// refused, and so is one that would take its account past the playbook's cap of running instances, counting the
    /// runs admitted ahead of it in the group. One count per account and playbook, each an instances_account index
    /// lookup: with both as ANY lists the planner went through every running run of the playbook instead (2.6 ms a group
    /// with 3,300 running), and unless the counts are materialised the planner moves them into the join, once per run
    /// (PostgreSQL's CPU per start in the starts benchmark: 257 µs with the rules in a round trip of their own, 382–390
    /// with the counts per run). The admitted runs' instances, bookmarks, journal and outbox rows are written by the same
    /// statement, the journal and the events in the order the runs made them. A new run's events have new ids, so their
    /// insert needs no ON CONFLICT, whose speculative insertion made it the dearest of the four inserts. Its rows are the
    /// admitted runs' places in the group.
    /// </summary>
    private const string WriteAdmittedSql = """
        WITH start AS (
            SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::bigint[], $9::bigint[], $10::bigint[], $11::int[])
                WITH ORDINALITY AS s (id, definition_id, version, account_id, status, state, revision, created_at, updated_at, ended_at, cap, place)),
        fresh AS (
            SELECT DISTINCT ON (s.id) s.* FROM start s
            WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = s.id)
            ORDER BY s.id, s.place),
        ranked AS (
            SELECT f.*, row_number() OVER (PARTITION BY f.account_id, f.definition_id ORDER BY f.place) AS rank FROM fresh f),
        pair AS MATERIALIZED (
            SELECT p.account_id, p.definition_id,
                   (SELECT COUNT(*) FROM instances i WHERE i.account_id = p.account_id AND i.definition_id = p.definition_id AND i.status = 'running') AS running
            FROM (SELECT DISTINCT account_id, definition_id FROM fresh) p),
        admitted AS MATERIALIZED (
            SELECT r.* FROM ranked r JOIN pair p ON p.account_id = r.account_id AND p.definition_id = r.definition_id
            WHERE p.running + r.rank <= r.cap),
        instance AS (
            INSERT INTO instances (id, definition_id, version, account_id, status, state, revision, created_at, updated_at, ended_at)
            SELECT id, definition_id, version, account_id, status, state, revision, created_at, updated_at, ended_at FROM admitted ORDER BY place),
        bookmark AS (
            INSERT INTO bookmarks (id, instance_id, activity_id, kind, key, due_at)
            SELECT b.id, b.instance_id, b.activity_id, b.kind, b.key, b.due_at
            FROM unnest($12::bigint[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::bigint[]) AS b (place, id, instance_id, activity_id, kind, key, due_at)
            WHERE b.place IN (SELECT place FROM admitted)),
        journal_line AS (
            INSERT INTO journal (instance_id, activity_id, activity_type, status, outcome, inputs, output, error, started_at, ended_at)
            SELECT j.instance_id, j.activity_id, j.activity_type, j.status, j.outcome, j.inputs, j.output, j.error, j.started_at, j.ended_at
            FROM unnest($19::bigint[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[], $25::text[], $26::text[], $27::text[], $28::bigint[], $29::bigint[])
                WITH ORDINALITY AS j (place, instance_id, activity_id, activity_type, status, outcome, inputs, output, error, started_at, ended_at, n)
            WHERE j.place IN (SELECT place FROM admitted)
            ORDER BY j.n),
        announced AS (
            INSERT INTO outbox (id, type, source, account_id, occurred_at, data, trace_parent)
            SELECT o.id, o.type, o.source, o.account_id, o.occurred_at, o.data, o.trace_parent
            FROM unnest($30::bigint[], $31::text[], $32::text[], $33::text[], $34::text[], $35::text[], $36::text[], $37::text[])
                WITH ORDINALITY AS o (place, id, type, source, account_id, occurred_at, data, trace_parent, n)
            WHERE o.place IN (SELECT place FROM admitted)
            ORDER BY o.n)
        SELECT place FROM admitted
        """;

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
