using System.Text.Json;
using Dapper;
using Playbooks.Engine.Storage;
using Playbooks.Messaging;
using Playbooks.Storage;

namespace Playbooks.Engine.Triggers;

/// <summary>
/// Received account events, durable before the sender hears 202. Idempotent by the sender's id; processed in
/// arrival order by <see cref="AccountEventProcessor"/>.
/// </summary>
public sealed class AccountEventLog(ServiceDatabase database, TimeProvider clock)
{
    private readonly Doorbell _signal = new();
    // Renewing claims and giving them back take turns: a give-back that read a claim's value while a renewal was changing
    // it would match nothing and leave the event held for a whole lease.
    private readonly SemaphoreSlim _claimChanges = new(1, 1);

    /// <summary>A stored event (a settable class so Dapper converts column types on both providers).</summary>
    public sealed class Stored
    {
        public long Seq { get; init; }
        public string Id { get; init; } = "";
        public string Type { get; init; } = "";
        public string? AccountId { get; init; }
        public long OccurredAt { get; init; }
        public string Data { get; init; } = "";
        public string? TraceParent { get; init; }
        // 0 when not claimed; read and renewed from different threads (a lane, the renewal), so kept in one word.
        private long _claimedUntil;

        /// <summary>
        /// The claim this replica holds on it (Unix ms), so that giving it back or renewing it never touches another
        /// replica's claim.
        /// </summary>
        public long? ClaimedUntil
        {
            get => Interlocked.Read(ref _claimedUntil) is var until and not 0 ? until : null;
            init => _claimedUntil = value ?? 0;
        }

        internal void Renewed(long until) => Interlocked.Exchange(ref _claimedUntil, until);
    }

    /// <summary>Wakes the processor; many rings while it is busy count as one.</summary>
    public Doorbell Arrived => _signal;

    /// <summary>What storing a request's events came to: how many were new, or the accounts no one added (then nothing was stored).</summary>
    public sealed record Appended(int Added, IReadOnlyList<string> UnknownAccounts);

    /// <summary>
    /// Stores the events in one transaction if every account they name exists; <see cref="Appended.Added"/> counts the
    /// new ones (the rest were duplicates by id).
    /// </summary>
    public async Task<Appended> AppendAsync(IReadOnlyList<AccountEvent> events, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var accountIds = events.Select(e => e.AccountId).OfType<string>().Where(id => id.Length > 0).Distinct().ToArray();
        var rows = events.Select(e => new NewEvent(e.Id, e.Type, e.AccountId, EngineJson.Millis(e.OccurredAt ?? now), e.Data?.GetRawText() ?? "{}",
            EngineJson.Millis(now), EventTracing.CurrentTraceParent())).ToList();
        await using var connection = await database.OpenAsync(cancellationToken);
        if (connection is not Npgsql.NpgsqlConnection postgres)
        {
            var added = await InsertAsync(connection, rows, accountIds, cancellationToken);
            if (added.Added > 0) _signal.Raise();
            return added;
        }

        // One account's events, and a lane free to take them or a place in this replica's line for the next free lane:
        // they are claimed as they are stored.
        var lanes = accountIds.Length == 1 && events.All(e => e.AccountId is { Length: > 0 }) ? _lanes : null;
        var place = lanes?.TryTakePlace() ?? AccountEventProcessor.Place.None;
        IReadOnlyList<Stored> claimed = [];
        Appended appended;
        try
        {
            // A claim is not given up halfway: a request cancelled after the commit would leave its events claimed and
            // unhandled until the claim lapsed.
            // For a lane, the first event's context is read in the same round trip to start from; events that wait in
            // line read theirs when their lane starts, as the account stands then.
            var toRead = place == AccountEventProcessor.Place.Lane ? lanes!.ContextFor(rows[0].Id, rows[0].Type, accountIds[0], now) : null;
            var claimUntil = place != AccountEventProcessor.Place.None ? lanes!.LeaseUntil() : (long?)null;
            (appended, var claimedSeqs, var published, var context) = await InsertAsync(postgres, rows, accountIds, claimUntil,
                toRead, claimUntil is not null ? CancellationToken.None : cancellationToken);
            var seqById = claimedSeqs.ToDictionary(c => c.Id, c => c.Seq, StringComparer.Ordinal);
            claimed = rows.Where(r => seqById.ContainsKey(r.Id))
                .Select(r => new Stored
                {
                    Seq = seqById[r.Id], Id = r.Id, Type = r.Type, AccountId = r.AccountId, OccurredAt = r.OccurredAt, Data = r.Data, TraceParent = r.TraceParent,
                    ClaimedUntil = claimUntil,
                })
                .OrderBy(e => e.Seq).ToList();
            if (claimed.Count > 0)
                lanes!.Handle(place, claimed, published, toRead is not null && context is not null && claimed[0].Id == toRead.EventId ? toRead with { Context = context } : null);
        }
        finally
        {
            if (claimed.Count == 0) lanes?.GiveBack(place);
        }
        // What was not claimed waits for a claim.
        if (appended.Added > claimed.Count) _signal.Raise();
        return appended;
    }

    private sealed record NewEvent(string Id, string Type, string? AccountId, long OccurredAt, string Data, long ReceivedAt, string? TraceParent);

    /// <summary>SQLite: the accounts are looked up, then the events inserted, in one transaction.</summary>
    private static async Task<Appended> InsertAsync(System.Data.Common.DbConnection connection, List<NewEvent> rows, string[] accountIds, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in accountIds.Chunk(500))
            known.UnionWith(await connection.QueryAsync<string>("SELECT id FROM accounts WHERE id IN @chunk", new { chunk }, transaction));
        var unknown = accountIds.Where(id => !known.Contains(id)).ToList();
        if (unknown.Count > 0) return new(0, unknown);
        var added = await connection.ExecuteAsync(
            """
            INSERT INTO account_events (id, type, account_id, occurred_at, data, received_at, trace_parent)
            VALUES (@Id, @Type, @AccountId, @OccurredAt, @Data, @ReceivedAt, @TraceParent) ON CONFLICT (id) DO NOTHING
            """,
            rows, transaction);
        await transaction.CommitAsync(cancellationToken);
        return new(added, []);
    }

    /// <summary>
    /// PostgreSQL: the known-account check and the insert are one statement, so a request costs one round trip and one
    /// commit, whatever its size. With <paramref name="claimUntil"/> (one account's events, a lane or a place in line
    /// for them) the events are also claimed until then if the account has no unprocessed event before them, and the
    /// published set is read for <see cref="TriggerIndex.EnsureAsync"/>, as a claim does. A lock on the account, taken
    /// first in its own statement, makes two replicas storing the same account's events at once take turns, so the
    /// second sees the first's events and leaves its own to a claim: one account's events are still handled in order.
    /// The insert keeps its generic plan (<see cref="GenericPlans"/>). With <paramref name="toRead"/>, the first event's
    /// context is read too, under the account's lock, so the lane that handles it starts without a round trip of its own.
    /// </summary>
    private static async Task<(Appended Appended, IReadOnlyList<(long Seq, string Id)> Claimed, string? Published, AccountEventContext? Context)> InsertAsync(
        Npgsql.NpgsqlConnection connection, List<NewEvent> rows, string[] accountIds, long? claimUntil, AccountEventProcessor.ContextToRead? toRead,
        CancellationToken cancellationToken)
    {
        await using var batch = new Npgsql.NpgsqlBatch(connection);
        if (claimUntil is not null)
            batch.BatchCommands.Add(new("SELECT pg_advisory_xact_lock(4, hashtext($1))") { Parameters = { new Npgsql.NpgsqlParameter<string> { TypedValue = accountIds[0] } } });
        batch.BatchCommands.Add(new(
            """
            WITH known AS (SELECT id FROM accounts WHERE id = ANY($8)),
            added AS (
                INSERT INTO account_events (id, type, account_id, occurred_at, data, received_at, trace_parent, claimed_until)
                SELECT *, CASE WHEN $9::bigint IS NOT NULL AND NOT EXISTS (SELECT 1 FROM account_events p WHERE p.account_id = $8[1] AND p.processed_at IS NULL) THEN $9 END
                FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::text[])
                WHERE (SELECT COUNT(*) FROM known) = cardinality($8)
                ON CONFLICT (id) DO NOTHING
                RETURNING seq, id, claimed_until)
            SELECT (SELECT COUNT(*) FROM added), ARRAY(SELECT id FROM known),
                   ARRAY(SELECT seq FROM added WHERE claimed_until IS NOT NULL), ARRAY(SELECT id FROM added WHERE claimed_until IS NOT NULL)
            """)
        {
            Parameters =
            {
                SqlLists.Array(rows.Select(r => r.Id)), SqlLists.Array(rows.Select(r => r.Type)), SqlLists.Array(rows.Select(r => r.AccountId)),
                SqlLists.Array(rows.Select(r => r.OccurredAt)), SqlLists.Array(rows.Select(r => r.Data)), SqlLists.Array(rows.Select(r => r.ReceivedAt)),
                SqlLists.Array(rows.Select(r => r.TraceParent)), SqlLists.Array(accountIds),
                new Npgsql.NpgsqlParameter<long?> { TypedValue = claimUntil, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint },
            },
        });
        if (claimUntil is not null) batch.BatchCommands.Add(new(TriggerIndex.PublishedSql));
        if (claimUntil is not null && toRead is not null)
            foreach (var command in AccountEventContext.Commands(toRead.AccountId, toRead.Key, toRead.Triggered, toRead.At)) batch.BatchCommands.Add(command);
        await using var reader = await batch.InTransaction().ExecuteReaderAsync(cancellationToken);
        if (claimUntil is not null) await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var known = reader.GetFieldValue<string[]>(1);
        var claimed = reader.GetFieldValue<long[]>(2).Zip(reader.GetFieldValue<string[]>(3)).ToList();
        var appended = new Appended((int)reader.GetInt64(0), accountIds.Except(known, StringComparer.Ordinal).ToList());
        string? published = null;
        if (claimUntil is not null && await reader.NextResultAsync(cancellationToken) && await reader.ReadAsync(cancellationToken)) published = reader.GetString(0);
        var context = claimUntil is not null && toRead is not null ? await AccountEventContext.ReadAsync(reader, toRead.Triggered, cancellationToken) : null;
        return (appended, claimed, published, context);
    }

    private AccountEventProcessor? _lanes;

    /// <summary>From now on, one account's events are claimed as they are stored when <paramref name="lanes"/> has a lane or a place in line for them.</summary>
    internal void ClaimOnArrivalFor(AccountEventProcessor lanes) => _lanes = lanes;

    /// <summary>
    /// The next unprocessed events, in arrival order. On PostgreSQL they are claimed for this replica until
    /// <paramref name="leaseUntil"/> (Unix ms, wall clock): replicas take disjoint batches, one at a time (a transaction
    /// lock serialises claiming), and never an event whose account has an event claimed elsewhere, so one account's
    /// events are still processed in order (claims go in order, so a claimed event of the account is an earlier one).
    /// A claim takes the events of at most <paramref name="accounts"/> accounts (the earliest waiting; an event without
    /// an account counts as one), as many as the claimer works on side by side: the other accounts are left to the
    /// other replicas instead of waiting behind one replica's batch. A dead replica's claims lapse and are taken over.
    /// The claim also reads which playbooks are published (<see cref="TriggerIndex.PublishedSql"/>): a playbook published
    /// on another replica just before its first event was sent must trigger for it, even if the publish's broadcast has
    /// not arrived here yet (<see cref="TriggerIndex.EnsureAsync"/>). Null on SQLite, where one process publishes.
    /// </summary>
    public async Task<(IReadOnlyList<Stored> Events, string? Published)> UnprocessedAsync(int limit, int accounts, long leaseUntil, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (database.Provider != DatabaseProvider.Postgres)
            return ((await connection.QueryAsync<Stored>(
                "SELECT seq, id, type, account_id AS AccountId, occurred_at AS OccurredAt, data, trace_parent AS TraceParent FROM account_events WHERE processed_at IS NULL ORDER BY seq LIMIT @limit",
                new { limit })).ToList(), null);
        var floor = await FloorAsync(connection);
        var wallNow = Instances.WorkLease.WallNow();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Claims take turns (one lock for all), and pick their accounts first: the accounts' own locks come next, and the
        // claim after them, in a statement of its own, sees what a replica storing and claiming their events at once
        // committed meanwhile (AppendAsync): a claim read before that commit would take an account being handled.
        var chosen = await ChooseAccountsAsync((Npgsql.NpgsqlConnection)connection, floor, wallNow, limit, cancellationToken);
        await using var batch = new Npgsql.NpgsqlBatch((Npgsql.NpgsqlConnection)connection, (Npgsql.NpgsqlTransaction)transaction)
        {
            BatchCommands =
            {
                // OFFSET 0 keeps the sorted subquery from being flattened, so the locks are taken in hash order.
                new("SELECT COUNT(pg_advisory_xact_lock(4, h)) FROM (SELECT DISTINCT hashtext(a) AS h FROM unnest($1::text[]) AS a ORDER BY 1 OFFSET 0) AS ordered")
                {
                    Parameters = { SqlLists.Array(chosen) },
                },
                new($"""
                    {BusyAccounts}
                    UPDATE account_events e SET claimed_until = $3
                    FROM (SELECT seq FROM (
                            SELECT seq, dense_rank() OVER (ORDER BY first_seq) AS account_rank FROM (
                                SELECT seq, min(seq) OVER (PARTITION BY account_id, CASE WHEN account_id IS NULL THEN seq END) AS first_seq FROM (
                                    SELECT seq, account_id FROM account_events c
                                    WHERE processed_at IS NULL AND seq >= $1 AND (claimed_until IS NULL OR claimed_until < $2)
                                      AND (account_id IS NULL OR account_id = ANY($6))
                                      AND NOT EXISTS (SELECT 1 FROM busy WHERE busy.account_id = c.account_id) {NothingBelowFloor}
                                    ORDER BY seq LIMIT $4 FOR UPDATE SKIP LOCKED) candidates) by_account) ranked
                          WHERE account_rank <= $5) next
                    WHERE e.seq = next.seq
                    RETURNING e.seq, e.id, e.type, e.account_id AS AccountId, e.occurred_at AS OccurredAt, e.data, e.trace_parent AS TraceParent,
                        e.claimed_until AS ClaimedUntil
                    """)
                {
                    Parameters =
                    {
                        new Npgsql.NpgsqlParameter<long> { TypedValue = floor }, new Npgsql.NpgsqlParameter<long> { TypedValue = wallNow },
                        new Npgsql.NpgsqlParameter<long> { TypedValue = leaseUntil }, new Npgsql.NpgsqlParameter<int> { TypedValue = limit },
                        new Npgsql.NpgsqlParameter<int> { TypedValue = accounts }, SqlLists.Array(chosen),
                    },
                },
                new(TriggerIndex.PublishedSql),
            },
        };
        var claimed = new List<Stored>();
        string published;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            var parse = reader.GetRowParser<Stored>();
            while (await reader.ReadAsync(cancellationToken)) claimed.Add(parse(reader));
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            published = reader.GetString(0);
        }
        await transaction.CommitAsync(cancellationToken);
        return (claimed.OrderBy(e => e.Seq).ToList(), published);
    }

    // An account with an unprocessed event below the floor ($1) waits for the next look-up of the floor: a large request
    // still inserting as the floor was looked up commits events numbered below it, and its later events for the same
    // account, above it, were claimed first (AccountEventClaimTests). One probe of the pending index per candidate.
    private const string NothingBelowFloor =
        "AND NOT EXISTS (SELECT 1 FROM account_events below WHERE below.account_id = c.account_id AND below.processed_at IS NULL AND below.seq < $1)";

    // The accounts with an event claimed ($1 the floor, $2 now), as both of a claim's steps list them.
    private const string BusyAccounts =
        "WITH busy AS MATERIALIZED (SELECT DISTINCT account_id FROM account_events WHERE processed_at IS NULL AND seq >= $1 AND claimed_until >= $2 AND account_id IS NOT NULL)";

    /// <summary>
    /// Under the claimers' lock, the accounts of the earliest events a claim could take: unclaimed, and of an account
    /// with no event claimed. (The accounts with a claimed event are listed once, in a materialised list: asked per
    /// candidate, PostgreSQL scanned every unprocessed event again for each of the 200 candidates, over the index entries
    /// of processed events that wait for VACUUM, which made a claim 25,000 buffer reads instead of 1,800.)
    /// </summary>
    private static async Task<string[]> ChooseAccountsAsync(Npgsql.NpgsqlConnection connection, long floor, long wallNow, int limit, CancellationToken cancellationToken)
    {
        await using var batch = new Npgsql.NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new("SELECT pg_advisory_xact_lock(3, 0)"),
                new($"""
                    {BusyAccounts}
                    SELECT DISTINCT account_id FROM (
                        SELECT account_id FROM account_events c
                        WHERE processed_at IS NULL AND seq >= $1 AND (claimed_until IS NULL OR claimed_until < $2) AND account_id IS NOT NULL
                          AND NOT EXISTS (SELECT 1 FROM busy WHERE busy.account_id = c.account_id) {NothingBelowFloor}
                        ORDER BY seq LIMIT $3) candidates
                    """)
                {
                    Parameters =
                    {
                        new Npgsql.NpgsqlParameter<long> { TypedValue = floor }, new Npgsql.NpgsqlParameter<long> { TypedValue = wallNow },
                        new Npgsql.NpgsqlParameter<int> { TypedValue = limit },
                    },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var chosen = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) chosen.Add(reader.GetString(0));
        return [.. chosen];
    }

    // Where claims start reading (PostgreSQL). A processed event's entries in the unprocessed indexes stay until VACUUM
    // reaches the table, about a minute, and every claim read them all from the first: at 200 events/s a claim cost 490
    // buffer reads, the most of any statement. So claims start at the oldest unprocessed event, looked up every 2 s,
    // less a margin for an event stored while the look-up ran (its number was drawn before the oldest's, its commit came
    // after). A request inserting thousands of events can still commit some below it (NothingBelowFloor keeps their
    // accounts out of claims until the next look-up).
    private const long FloorMargin = 100;
    // Claims come from one loop per replica, one at a time.
    private long _floor;
    private long _flooredAt = long.MinValue / 2;

    private async Task<long> FloorAsync(System.Data.Common.DbConnection connection)
    {
        if (Environment.TickCount64 - _flooredAt < 2_000) return _floor;
        var oldest = await connection.ExecuteScalarAsync<long>(
            "SELECT COALESCE((SELECT min(seq) FROM account_events WHERE processed_at IS NULL), (SELECT COALESCE(max(seq), 0) + 1 FROM account_events))");
        _flooredAt = Environment.TickCount64;
        return _floor = oldest - FloorMargin;
    }

    /// <summary>
    /// Gives back claimed events this replica did not get through (a batch failed, the replica stops): the claim would
    /// otherwise hold them, and their accounts' later events, until it lapsed. Only a claim still this replica's is
    /// given back: one that lapsed may be another replica's by now. Best effort: if the database is what failed, the
    /// lapse still comes.
    /// </summary>
    public async Task ReleaseAsync(IReadOnlyList<Stored> events, CancellationToken cancellationToken)
    {
        if (database.Provider != DatabaseProvider.Postgres) return;
        await _claimChanges.WaitAsync(CancellationToken.None);
        try
        {
            var claimed = events.Where(e => e.ClaimedUntil is not null).ToList();
            if (claimed.Count == 0) return;
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(
                """
                UPDATE account_events e SET claimed_until = NULL FROM unnest(@seqs, @leases) AS mine(seq, lease)
                WHERE e.seq = mine.seq AND e.claimed_until = mine.lease AND e.processed_at IS NULL
                """,
                new { seqs = claimed.Select(e => e.Seq).ToArray(), leases = claimed.Select(e => e.ClaimedUntil!.Value).ToArray() });
        }
        catch (Exception error) when (error is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
        }
        finally
        {
            _claimChanges.Release();
        }
    }

    /// <summary>
    /// Extends this replica's claims on <paramref name="events"/> to <paramref name="until"/> (PostgreSQL), those still its
    /// own and not yet marked processed; returns how many it renewed.
    /// </summary>
    public async Task<int> RenewAsync(IReadOnlyList<Stored> events, long until, CancellationToken cancellationToken)
    {
        if (database.Provider != DatabaseProvider.Postgres) return 0;
        await _claimChanges.WaitAsync(cancellationToken);
        try
        {
            var claimed = events.Select(e => (Event: e, Lease: e.ClaimedUntil)).Where(c => c.Lease is not null).ToList();
            if (claimed.Count == 0) return 0;
            await using var connection = await database.OpenAsync(cancellationToken);
            // Rows locked in seq order, as the mark and the claims lock them; a row being marked right now is skipped.
            var renewed = (await connection.QueryAsync<long>(
                """
                WITH mine AS (
                    SELECT e.seq FROM account_events e JOIN unnest(@seqs, @leases) AS m(seq, lease) ON e.seq = m.seq AND e.claimed_until = m.lease
                    WHERE e.processed_at IS NULL ORDER BY e.seq FOR UPDATE OF e SKIP LOCKED)
                UPDATE account_events e SET claimed_until = @until FROM mine WHERE e.seq = mine.seq
                RETURNING e.seq
                """,
                new { until, seqs = claimed.Select(c => c.Event.Seq).ToArray(), leases = claimed.Select(c => c.Lease!.Value).ToArray() })).ToHashSet();
            foreach (var (stored, _) in claimed)
                if (renewed.Contains(stored.Seq)) stored.Renewed(until);
            return renewed.Count;
        }
        finally
        {
            _claimChanges.Release();
        }
    }

    public async Task<(string Status, long? ProcessedAt)?> StatusAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(long Seq, long? ProcessedAt)?>("SELECT seq, processed_at FROM account_events WHERE id = @id", new { id });
        return row is { } r ? (r.ProcessedAt is null ? "pending" : "processed", r.ProcessedAt) : null;
    }

    public static JsonElement DataOf(Stored stored) => JsonDocument.Parse(stored.Data).RootElement;
}
