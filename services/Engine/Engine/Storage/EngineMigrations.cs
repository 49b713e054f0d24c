using Playbooks.Messaging;
using Playbooks.Storage;
using Playbooks.Storage.Audit;

namespace Playbooks.Engine.Storage;

/// <summary>The engine's schema. Times are Unix milliseconds (BIGINT): they sort and compare cheaply on both providers.</summary>
public static class EngineMigrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        MessagingTables.Migration(1),
        new(2, "definitions, accounts, instances, bookmarks, journal", Sqlite: Schema("INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER"), Postgres: Schema("BIGSERIAL PRIMARY KEY", "BIGINT")),
        new(4, "shipped workflows", Sqlite: ShippedWorkflows, Postgres: ShippedWorkflows),
        new(3, "account events, snoozes, date and schedule triggers", Sqlite: Triggers("INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER"), Postgres: Triggers("BIGSERIAL PRIMARY KEY", "BIGINT")),
        new(5, "work claims for replicas (timers, account events, date and schedule triggers)", Sqlite: Claims("INTEGER"), Postgres: Claims("BIGINT")),
        AuditTables.Migration(6),
        MessagingTables.InboxByAge(7),
        new(8, "goals reached, kept apart from the inbox, which forgets",
            Sqlite: GoalsReached("CAST(ROUND((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER)", "INTEGER"),
            Postgres: GoalsReached("(extract(epoch FROM received_at::timestamptz) * 1000)::bigint", "BIGINT")),
    ];

    /// <summary>
    /// A run counts its goal once (<see cref="Triggers.GoalTracker"/>), however long after it starts the goal's window
    /// ends; the inbox, where that was remembered before, forgets after days. The runs already counted come along.
    /// </summary>
    private static string GoalsReached(string receivedAtMillis, string millis) => $"""
        CREATE TABLE goals_reached (
            instance_id TEXT PRIMARY KEY,
            reached_at {millis} NOT NULL);
        INSERT INTO goals_reached (instance_id, reached_at)
            SELECT substr(event_id, 6), {receivedAtMillis} FROM inbox WHERE event_id LIKE 'goal:%';
        """;

    /// <summary>
    /// A claim is a lease: the replica that took a row owns it until <c>claimed_until</c> (Unix ms, wall clock); a replica
    /// that dies lets it lapse and another takes the row over. See docs/distributed.md.
    /// </summary>
    private static string Claims(string millis) => $"""
        ALTER TABLE bookmarks ADD COLUMN claimed_until {millis} NULL;
        ALTER TABLE account_events ADD COLUMN claimed_until {millis} NULL;
        CREATE INDEX account_events_pending_account ON account_events (account_id, seq) WHERE processed_at IS NULL;
        ALTER TABLE date_triggers ADD COLUMN claimed_until {millis} NULL;
        CREATE TABLE schedule_claims (
            definition_id TEXT NOT NULL,
            trigger_index INTEGER NOT NULL,
            due_at {millis} NOT NULL,
            claimed_until {millis} NOT NULL,
            PRIMARY KEY (definition_id, trigger_index, due_at));
        """;

    private const string ShippedWorkflows = "CREATE TABLE shipped_workflows (definition_id TEXT PRIMARY KEY, file_hash TEXT NOT NULL);";

    private static string Triggers(string serial, string millis) => $"""
        CREATE TABLE account_events (
            seq {serial},
            id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            account_id TEXT NULL,
            occurred_at {millis} NOT NULL,
            data TEXT NOT NULL,
            received_at {millis} NOT NULL,
            trace_parent TEXT NULL,
            processed_at {millis} NULL);
        CREATE INDEX account_events_unprocessed ON account_events (seq) WHERE processed_at IS NULL;
        CREATE TABLE snoozes (
            definition_id TEXT NOT NULL,
            account_id TEXT NOT NULL,
            until_at {millis} NOT NULL,
            reason TEXT NULL,
            PRIMARY KEY (definition_id, account_id));
        CREATE TABLE date_triggers (
            definition_id TEXT NOT NULL,
            trigger_index INTEGER NOT NULL,
            account_id TEXT NOT NULL,
            anchor TEXT NOT NULL,
            due_at {millis} NOT NULL,
            fired_at {millis} NULL,
            PRIMARY KEY (definition_id, trigger_index, account_id, anchor));
        CREATE INDEX date_triggers_due ON date_triggers (due_at) WHERE fired_at IS NULL;
        CREATE TABLE schedule_fires (
            definition_id TEXT NOT NULL,
            trigger_index INTEGER NOT NULL,
            due_at {millis} NOT NULL,
            fired_at {millis} NOT NULL,
            PRIMARY KEY (definition_id, trigger_index, due_at));
        """;

    private static string Schema(string serial, string millis) => $"""
        CREATE TABLE definitions (
            definition_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            draft TEXT NOT NULL,
            draft_updated_at {millis} NOT NULL,
            published_version INTEGER NULL,
            latest_version INTEGER NOT NULL DEFAULT 0,
            archived INTEGER NOT NULL DEFAULT 0,
            created_at {millis} NOT NULL);
        CREATE TABLE definition_versions (
            definition_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            document TEXT NOT NULL,
            note TEXT NULL,
            published_at {millis} NOT NULL,
            PRIMARY KEY (definition_id, version));
        CREATE TABLE accounts (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            owner_csm TEXT NULL,
            segment TEXT NULL,
            document TEXT NOT NULL,
            updated_at {millis} NOT NULL);
        CREATE INDEX accounts_owner ON accounts (owner_csm);
        CREATE TABLE instances (
            id TEXT PRIMARY KEY,
            definition_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            account_id TEXT NOT NULL,
            status TEXT NOT NULL,
            state TEXT NOT NULL,
            revision INTEGER NOT NULL,
            created_at {millis} NOT NULL,
            updated_at {millis} NOT NULL,
            ended_at {millis} NULL);
        CREATE INDEX instances_definition ON instances (definition_id, status, created_at);
        CREATE INDEX instances_account ON instances (account_id, definition_id, status);
        CREATE TABLE bookmarks (
            id TEXT PRIMARY KEY,
            instance_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            due_at {millis} NULL);
        CREATE INDEX bookmarks_key ON bookmarks (key);
        CREATE INDEX bookmarks_due ON bookmarks (due_at) WHERE due_at IS NOT NULL;
        CREATE INDEX bookmarks_instance ON bookmarks (instance_id);
        CREATE TABLE journal (
            seq {serial},
            instance_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            activity_type TEXT NOT NULL,
            status TEXT NOT NULL,
            outcome TEXT NULL,
            inputs TEXT NULL,
            output TEXT NULL,
            error TEXT NULL,
            started_at {millis} NOT NULL,
            ended_at {millis} NOT NULL);
        CREATE INDEX journal_instance ON journal (instance_id, seq);
        CREATE TABLE pending_stimuli (
            id TEXT PRIMARY KEY,
            key TEXT NOT NULL,
            kind TEXT NOT NULL,
            payload TEXT NULL,
            at {millis} NOT NULL);
        CREATE INDEX pending_stimuli_key ON pending_stimuli (key);
        """;
}
