using Playbooks.Messaging;
using Playbooks.Storage;

namespace Playbooks.Metrics.Storage;

/// <summary>The metrics service's schema, step by step.</summary>
public static class MetricsMigrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        MessagingTables.Migration(1),
        new(2, "raw events, fold state, daily and weekly buckets",
            Sqlite: Schema(identity: "INTEGER PRIMARY KEY", blob: "BLOB", clustered: " WITHOUT ROWID"),
            Postgres: Schema(identity: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", blob: "BYTEA", clustered: "")),
        MessagingTables.InboxByAge(3),
    ];

    // Integers are BIGINT so Dapper maps rows alike on both providers; times are Unix milliseconds, days the milliseconds
    // of their UTC midnight (UnixDay). Unknown dimension values are '' (they are key columns), shown as null by the API.
    // On SQLite the keyed tables are WITHOUT ROWID: stored in primary-key order, an upsert touches one b-tree instead of
    // a table and its key index, and a query's range of days is read in place.
    private static string Schema(string identity, string blob, string clustered) =>
        State(identity, clustered) + Buckets("day", blob, clustered) + Buckets("week", blob, clustered);

    private static string State(string identity, string clustered) => $"""
        -- Every event folded, as received, so the figures can be rebuilt. The inbox (same transaction) already makes ids
        -- unique for as long as it remembers them (Playbooks__Inbox__KeepHandled), so no second unique index slows the fold.
        CREATE TABLE metric_events (
            seq {identity},
            id TEXT NOT NULL,
            type TEXT NOT NULL,
            source TEXT NOT NULL,
            account_id TEXT NULL,
            occurred_at BIGINT NOT NULL,
            data TEXT NOT NULL);

        CREATE TABLE metric_progress (
            id BIGINT PRIMARY KEY,
            events_folded BIGINT NOT NULL,
            newest_event_at BIGINT NOT NULL){clustered};

        -- What the fold remembers between events, all derived from metric_events.
        CREATE TABLE metric_runs (
            instance_id TEXT PRIMARY KEY,
            definition_id TEXT NOT NULL,
            version BIGINT NOT NULL,
            account_id TEXT NOT NULL,
            segment TEXT NOT NULL,
            variant TEXT NULL,
            started_at BIGINT NOT NULL,
            start_counted BIGINT NOT NULL,
            status TEXT NOT NULL,
            ended_at BIGINT NULL,
            faulted_at BIGINT NULL,
            goal_at BIGINT NULL,
            last_activity TEXT NULL,
            last_activity_type TEXT NULL){clustered};

        -- Renewal coverage reads only the runs of the renewal outreach playbook: a small table instead of probing every run.
        CREATE TABLE metric_outreach_runs (
            account_id TEXT NOT NULL,
            instance_id TEXT NOT NULL,
            started_at BIGINT NOT NULL,
            status TEXT NOT NULL,
            ended_at BIGINT NULL,
            PRIMARY KEY (account_id, instance_id)){clustered};

        CREATE TABLE metric_run_steps (
            instance_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            PRIMARY KEY (instance_id, activity_id)){clustered};

        CREATE TABLE metric_accounts (
            account_id TEXT PRIMARY KEY,
            segment TEXT NOT NULL,
            owner_csm TEXT NOT NULL,
            team TEXT NOT NULL,
            renewal_at BIGINT NULL,
            updated_at BIGINT NOT NULL){clustered};
        CREATE INDEX ix_metric_accounts_renewal ON metric_accounts (renewal_at);

        CREATE TABLE metric_tasks (
            task_id TEXT PRIMARY KEY,
            created_at BIGINT NULL,
            overdue_at BIGINT NULL,
            closed_at BIGINT NULL){clustered};
        -- The overdue gauge counts only these.
        CREATE INDEX ix_metric_tasks_overdue_open ON metric_tasks (task_id) WHERE overdue_at IS NOT NULL AND closed_at IS NULL;

        CREATE TABLE metric_incidents (
            incident_id TEXT NOT NULL,
            account_id TEXT NOT NULL,
            severity TEXT NOT NULL,
            opened_at BIGINT NOT NULL,
            resolved_at BIGINT NULL,
            first_notice_at BIGINT NULL,
            last_notice_at BIGINT NULL,
            PRIMARY KEY (incident_id, account_id)){clustered};
        CREATE INDEX ix_metric_incidents_open ON metric_incidents (account_id) WHERE resolved_at IS NULL;

        -- One notice is one (instance, activity) send, whatever its number of recipients.
        CREATE TABLE metric_incident_notices (
            incident_id TEXT NOT NULL,
            account_id TEXT NOT NULL,
            instance_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            PRIMARY KEY (incident_id, account_id, instance_id, activity_id)){clustered};

        """;

    // The same buckets per day and per week (day = the Monday): a query over whole weeks reads a seventh of the rows.
    // BucketTables describes each.
    private static string Buckets(string period, string blob, string clustered) => $"""
        CREATE TABLE metric_run_{period} (
            day BIGINT NOT NULL,
            definition_id TEXT NOT NULL,
            version BIGINT NOT NULL,
            segment TEXT NOT NULL,
            started BIGINT NOT NULL DEFAULT 0,
            completed BIGINT NOT NULL DEFAULT 0,
            exited BIGINT NOT NULL DEFAULT 0,
            faulted BIGINT NOT NULL DEFAULT 0,
            cancelled BIGINT NOT NULL DEFAULT 0,
            goal_reached BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (day, definition_id, version, segment)){clustered};

        CREATE TABLE metric_step_{period} (
            day BIGINT NOT NULL,
            definition_id TEXT NOT NULL,
            version BIGINT NOT NULL,
            activity_id TEXT NOT NULL,
            activity_type TEXT NOT NULL,
            reached BIGINT NOT NULL DEFAULT 0,
            dropped BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (day, definition_id, version, activity_id, activity_type)){clustered};

        CREATE TABLE metric_variant_{period} (
            day BIGINT NOT NULL,
            definition_id TEXT NOT NULL,
            version BIGINT NOT NULL,
            variant TEXT NOT NULL,
            runs BIGINT NOT NULL DEFAULT 0,
            goal_reached BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (day, definition_id, version, variant)){clustered};

        CREATE TABLE metric_task_{period} (
            day BIGINT NOT NULL,
            assignee TEXT NOT NULL,
            team TEXT NOT NULL,
            created BIGINT NOT NULL DEFAULT 0,
            completed BIGINT NOT NULL DEFAULT 0,
            completed_with_due BIGINT NOT NULL DEFAULT 0,
            completed_on_time BIGINT NOT NULL DEFAULT 0,
            overdue BIGINT NOT NULL DEFAULT 0,
            cancelled BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (day, assignee, team)){clustered};

        CREATE TABLE metric_notification_{period} (
            day BIGINT NOT NULL,
            channel TEXT NOT NULL,
            sent BIGINT NOT NULL DEFAULT 0,
            failed BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (day, channel)){clustered};

        CREATE TABLE metric_incident_{period} (
            day BIGINT NOT NULL,
            severity TEXT NOT NULL,
            opened BIGINT NOT NULL DEFAULT 0,
            noticed BIGINT NOT NULL DEFAULT 0,
            updates BIGINT NOT NULL DEFAULT 0,
            timed_updates BIGINT NOT NULL DEFAULT 0,
            on_cadence BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (day, severity)){clustered};

        CREATE TABLE metric_run_duration_{period} (
            day BIGINT NOT NULL,
            definition_id TEXT NOT NULL,
            version BIGINT NOT NULL,
            segment TEXT NOT NULL,
            samples BIGINT NOT NULL,
            bins {blob} NOT NULL,
            PRIMARY KEY (day, definition_id, version, segment)){clustered};

        CREATE TABLE metric_run_duration_by_version_{period} (
            day BIGINT NOT NULL,
            definition_id TEXT NOT NULL,
            version BIGINT NOT NULL,
            samples BIGINT NOT NULL,
            bins {blob} NOT NULL,
            PRIMARY KEY (day, definition_id, version)){clustered};

        CREATE TABLE metric_run_duration_by_playbook_{period} (
            day BIGINT NOT NULL,
            definition_id TEXT NOT NULL,
            samples BIGINT NOT NULL,
            bins {blob} NOT NULL,
            PRIMARY KEY (day, definition_id)){clustered};

        CREATE TABLE metric_task_completion_by_team_{period} (
            day BIGINT NOT NULL,
            team TEXT NOT NULL,
            samples BIGINT NOT NULL,
            bins {blob} NOT NULL,
            PRIMARY KEY (day, team)){clustered};

        CREATE TABLE metric_task_completion_{period} (
            day BIGINT NOT NULL,
            assignee TEXT NOT NULL,
            team TEXT NOT NULL,
            samples BIGINT NOT NULL,
            bins {blob} NOT NULL,
            PRIMARY KEY (day, assignee, team)){clustered};

        CREATE TABLE metric_first_notice_{period} (
            day BIGINT NOT NULL,
            severity TEXT NOT NULL,
            samples BIGINT NOT NULL,
            bins {blob} NOT NULL,
            PRIMARY KEY (day, severity)){clustered};
        """;

    /// <summary>Everything derived from <c>metric_events</c>: what a rebuild empties before replaying.</summary>
    internal static readonly IReadOnlyList<string> DerivedTables =
    [
        "metric_progress", "metric_runs", "metric_run_steps", "metric_outreach_runs", "metric_accounts", "metric_tasks", "metric_incidents", "metric_incident_notices",
        .. BucketTables.Counters.SelectMany(t => new[] { t.Name, t.WeekName }), .. BucketTables.Sketches.SelectMany(t => t.Levels).SelectMany(t => new[] { t.Name, t.WeekName }),
    ];
}
