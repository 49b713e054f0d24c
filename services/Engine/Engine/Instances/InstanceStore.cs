using System.Data.Common;
using Dapper;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Storage;
using Playbooks.Storage;

namespace Playbooks.Engine.Instances;

/// <summary>
/// Instances, their bookmarks and journal. Saving a run writes state, bookmarks and journal together, and refuses a
/// stale revision, so two workers can never both apply a step to one instance.
/// </summary>
public sealed class InstanceStore(ServiceDatabase database)
{
    public ServiceDatabase Database => database;

    public static async Task<InstanceState?> LoadAsync(DbConnection connection, DbTransaction? transaction, string id)
    {
        var state = await connection.QuerySingleOrDefaultAsync<string>("SELECT state FROM instances WHERE id = @id", new { id }, transaction);
        return state is null ? null : EngineJson.Deserialize<InstanceState>(state);
    }

    /// <summary>Inserts or updates the instance; false when someone else saved it since <paramref name="expectedRevision"/>.</summary>
    public static async Task<bool> SaveAsync(DbConnection connection, DbTransaction transaction, InstanceState instance, int? expectedRevision, IReadOnlyList<JournalEntry> journal)
    {
        instance.Revision = (expectedRevision ?? 0) + 1;
        var row = new
        {
            instance.Id, instance.DefinitionId, instance.Version, instance.AccountId,
            Status = instance.Status.ToString().ToLowerInvariant(),
            State = EngineJson.Serialize(instance),
            instance.Revision,
            Expected = expectedRevision ?? 0,
            CreatedAt = EngineJson.Millis(instance.CreatedAt),
            UpdatedAt = EngineJson.Millis(instance.UpdatedAt),
            EndedAt = instance.EndedAt is { } ended ? EngineJson.Millis(ended) : (long?)null,
        };
        var saved = expectedRevision is null
            ? await connection.ExecuteAsync(
                """
                INSERT INTO instances (id, definition_id, version, account_id, status, state, revision, created_at, updated_at, ended_at)
                VALUES (@Id, @DefinitionId, @Version, @AccountId, @Status, @State, @Revision, @CreatedAt, @UpdatedAt, @EndedAt)
                """, row, transaction)
            : await connection.ExecuteAsync(
                "UPDATE instances SET status = @Status, state = @State, revision = @Revision, updated_at = @UpdatedAt, ended_at = @EndedAt WHERE id = @Id AND revision = @Expected",
                row, transaction);
        if (saved != 1) return false;

        if (expectedRevision is not null) await connection.ExecuteAsync("DELETE FROM bookmarks WHERE instance_id = @Id", new { instance.Id }, transaction);
        if (instance.Bookmarks.Count > 0)
            await connection.ExecuteAsync(
                "INSERT INTO bookmarks (id, instance_id, activity_id, kind, key, due_at) VALUES (@Id, @InstanceId, @ActivityId, @Kind, @Key, @DueAt)",
                instance.Bookmarks.Select(b => new { b.Id, InstanceId = instance.Id, b.ActivityId, b.Kind, b.Key, DueAt = b.DueAt is { } due ? EngineJson.Millis(due) : (long?)null }),
                transaction);
        if (journal.Count > 1 && connection is Npgsql.NpgsqlConnection)
            await InsertJournalAsync(connection, transaction, journal);
        else if (journal.Count > 0)
            await connection.ExecuteAsync(
                """
                INSERT INTO journal (instance_id, activity_id, activity_type, status, outcome, inputs, output, error, started_at, ended_at)
                VALUES (@InstanceId, @ActivityId, @ActivityType, @Status, @Outcome, @Inputs, @Output, @Error, @StartedAt, @EndedAt)
                """,
                journal.Select(j => new
                {
                    j.InstanceId, j.ActivityId, j.ActivityType, j.Status, j.Outcome,
                    Inputs = j.Inputs?.ToJsonString(), Output = j.Output?.ToJsonString(), j.Error,
                    StartedAt = EngineJson.Millis(j.StartedAt), EndedAt = EngineJson.Millis(j.EndedAt),
                }),
                transaction);
        return true;
    }

    // PostgreSQL: the step's journal in one statement rather than a round trip per entry.
    private static Task InsertJournalAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<JournalEntry> journal)
    {
        var values = new System.Text.StringBuilder();
        var parameters = new DynamicParameters();
        for (var i = 0; i < journal.Count; i++)
        {
            var j = journal[i];
            values.Append(i == 0 ? "" : ", ").Append($"(@n{i}, @a{i}, @t{i}, @s{i}, @o{i}, @in{i}, @out{i}, @e{i}, @b{i}, @f{i})");
            parameters.Add($"n{i}", j.InstanceId);
            parameters.Add($"a{i}", j.ActivityId);
            parameters.Add($"t{i}", j.ActivityType);
            parameters.Add($"s{i}", j.Status);
            parameters.Add($"o{i}", j.Outcome);
            parameters.Add($"in{i}", j.Inputs?.ToJsonString());
            parameters.Add($"out{i}", j.Output?.ToJsonString());
            parameters.Add($"e{i}", j.Error);
            parameters.Add($"b{i}", EngineJson.Millis(j.StartedAt));
            parameters.Add($"f{i}", EngineJson.Millis(j.EndedAt));
        }
        return connection.ExecuteAsync(
            $"INSERT INTO journal (instance_id, activity_id, activity_type, status, outcome, inputs, output, error, started_at, ended_at) VALUES {values}",
            parameters, transaction);
    }

    /// <summary>Bookmarks waiting on <paramref name="key"/> (a task or an account event).</summary>
    public static async Task<IReadOnlyList<(string InstanceId, string BookmarkId)>> WaitingOnAsync(DbConnection connection, DbTransaction? transaction, string key) =>
        (await connection.QueryAsync<(string, string)>("SELECT instance_id, id FROM bookmarks WHERE key = @key", new { key }, transaction)).ToList();

    // A faulted run's timers wait for its retry, whose save writes its bookmarks afresh: claimed, they could not fire, and
    // as the earliest due they were claimed first again at every lease (every poll on SQLite), ahead of live timers. A
    // scalar lookup per due timer rather than EXISTS, which the planner may turn into a join over every running run.
    private const string OfARunningRun = "(SELECT i.status FROM instances i WHERE i.id = b.instance_id) = 'running'";

    /// <summary>Timers claimed to fire, earliest first, and when the next unclaimed one is due (Unix ms), if any.</summary>
    public sealed record DueTimers(IReadOnlyList<(string InstanceId, string BookmarkId, long DueAt)> Claimed, long? NextDueAt);

    /// <summary>
    /// Timers due by <paramref name="dueBy"/>, earliest first, and the earliest due after it that no replica holds. On
    /// PostgreSQL the rows are claimed for this replica until <paramref name="leaseUntil"/> (Unix ms, wall clock) with
    /// <c>FOR UPDATE SKIP LOCKED</c>, so replicas take disjoint batches and a dead replica's claims lapse back; firing
    /// consumes the bookmark. The claim and the look ahead are one round trip: every replica polls even when nothing is
    /// due, and these were two in three of an idle engine's statements. SQLite has one process and just reads.
    /// </summary>
    public async Task<DueTimers> ClaimDueTimersAsync(DateTimeOffset dueBy, long leaseUntil, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (connection is not Npgsql.NpgsqlConnection postgres)
        {
            var due = (await connection.QueryAsync<(string, string, long)>(
                $"SELECT instance_id, id, due_at FROM bookmarks b WHERE due_at IS NOT NULL AND due_at <= @dueBy AND {OfARunningRun} ORDER BY due_at LIMIT @limit",
                new { dueBy = EngineJson.Millis(dueBy), limit })).ToList();
            var next = await connection.ExecuteScalarAsync<long?>("SELECT MIN(due_at) FROM bookmarks WHERE due_at > @dueBy", new { dueBy = EngineJson.Millis(dueBy) });
            return new(due, next);
        }
        var wallNow = WorkLease.WallNow();
        // Keyed lookups: a plan made while the table looked small scanned every bookmark on each poll (41-71 pages a call
        // in the distributed benchmark, where no bookmark had a due time). Custom plans, though: planned for any limit,
        // the claim joined what it took to the whole table by a hash (364 ms a claim with a million timers pending,
        // against 0.6 ms for the custom plan's lookup by id), and timers fired up to 0.8 s late.
        await using var batch = new Npgsql.NpgsqlBatch(postgres)
        {
            BatchCommands =
            {
                new("BEGIN"),
                new($"""
                    UPDATE bookmarks b SET claimed_until = $1
                    FROM (SELECT id FROM bookmarks b
                          WHERE due_at IS NOT NULL AND due_at <= $2 AND (claimed_until IS NULL OR claimed_until < $3) AND {OfARunningRun}
                          ORDER BY due_at LIMIT $4 FOR UPDATE OF b SKIP LOCKED) due
                    WHERE b.id = due.id
                    RETURNING b.instance_id, b.id, b.due_at
                    """)
                {
                    Parameters =
                    {
                        new Npgsql.NpgsqlParameter<long> { TypedValue = leaseUntil }, new Npgsql.NpgsqlParameter<long> { TypedValue = EngineJson.Millis(dueBy) },
                        new Npgsql.NpgsqlParameter<long> { TypedValue = wallNow }, new Npgsql.NpgsqlParameter<int> { TypedValue = limit },
                    },
                },
                new("SELECT due_at FROM bookmarks WHERE due_at > $1 AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY due_at LIMIT 1")
                {
                    Parameters = { new Npgsql.NpgsqlParameter<long> { TypedValue = EngineJson.Millis(dueBy) }, new Npgsql.NpgsqlParameter<long> { TypedValue = wallNow } },
                },
                new("COMMIT"),
            },
        };
        await using var reader = await batch.RuledIn(at: 1).ExecuteReaderAsync(cancellationToken);
        var claimed = new List<(string, string, long)>();
        while (await reader.ReadAsync(cancellationToken)) claimed.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        await reader.NextResultAsync(cancellationToken);
        long? nextDue = await reader.ReadAsync(cancellationToken) ? reader.GetInt64(0) : null;
        return new([.. claimed.OrderBy(t => t.Item3)], nextDue);
    }

    /// <summary>
    /// Gives claimed timers back to every replica (PostgreSQL; a replica stopping before it fired them): each bookmark id
    /// with the lease it was claimed under, so a claim that lapsed and was taken by another replica stays theirs.
    /// </summary>
    public async Task ReleaseTimerClaimsAsync(IReadOnlyList<KeyValuePair<string, long>> claims, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE bookmarks b SET claimed_until = NULL FROM unnest(@ids, @leases) AS mine(id, lease) WHERE b.id = mine.id AND b.claimed_until = mine.lease",
            new { ids = claims.Select(c => c.Key).ToArray(), leases = claims.Select(c => c.Value).ToArray() }, cancellationToken: cancellationToken));
    }

    public async Task<InstanceState?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await LoadAsync(connection, null, id);
    }

    public async Task<IReadOnlyList<JournalRow>> JournalAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<JournalRow>(
            """
            SELECT seq, activity_id AS ActivityId, activity_type AS ActivityType, status, outcome, inputs, output, error,
                   started_at AS StartedAt, ended_at AS EndedAt
            FROM journal WHERE instance_id = @id ORDER BY seq
            """, new { id })).ToList();
    }

    public async Task<(IReadOnlyList<InstanceSummary> Items, int Total)> ListAsync(InstanceQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        const string where = """
            WHERE (@DefinitionId IS NULL OR definition_id = @DefinitionId) AND (@Version IS NULL OR version = @Version)
              AND (@AccountId IS NULL OR account_id = @AccountId) AND (@Status IS NULL OR status = @Status)
            """;
        var total = await connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM instances {where}", query);
        var rows = await connection.QueryAsync<InstanceSummary>(
            $"""
            SELECT id, definition_id AS DefinitionId, version, account_id AS AccountId, status, created_at AS CreatedAt, updated_at AS UpdatedAt, ended_at AS EndedAt
            FROM instances {where} ORDER BY created_at DESC, id LIMIT @Take OFFSET @Skip
            """, query);
        return (rows.ToList(), total);
    }

    /// <summary>Running instances of a playbook for an account (enrolment caps, exit conditions).</summary>
    public static async Task<IReadOnlyList<string>> RunningForAccountAsync(DbConnection connection, string accountId, string? definitionId) =>
        (await connection.QueryAsync<string>(
            "SELECT id FROM instances WHERE account_id = @accountId AND (@definitionId IS NULL OR definition_id = @definitionId) AND status = 'running'",
            new { accountId, definitionId })).ToList();
}

public sealed record InstanceQuery(string? DefinitionId, int? Version, string? AccountId, string? Status, int Skip, int Take);

// Rows as settable classes, not positional records: Dapper then converts column types (PostgreSQL reads INTEGER as
// Int32, SQLite as Int64) instead of demanding a constructor whose parameter types match exactly.
public sealed class InstanceSummary
{
    public string Id { get; init; } = "";
    public string DefinitionId { get; init; } = "";
    public long Version { get; init; }
    public string AccountId { get; init; } = "";
    public string Status { get; init; } = "";
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    public long? EndedAt { get; init; }
}

public sealed class JournalRow
{
    public long Seq { get; init; }
    public string ActivityId { get; init; } = "";
    public string ActivityType { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Outcome { get; init; }
    public string? Inputs { get; init; }
    public string? Output { get; init; }
    public string? Error { get; init; }
    public long StartedAt { get; init; }
    public long EndedAt { get; init; }
}
