using Playbooks.Messaging;
using Playbooks.Storage;

namespace Playbooks.Metrics.Storage;

/// <summary>The metrics service's schema, step by step.</summary>
public static class MetricsMigrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        MessagingTables.Migration(1),
        new(2, "raw events, fold state and daily buckets",
            Sqlite: Schema(identity: "INTEGER PRIMARY KEY", blob: "BLOB"),
            Postgres: Schema(identity: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", blob: "BYTEA")),
    ];

    // Integers are BIGINT so Dapper maps rows alike on both providers; times are Unix milliseconds, days the milliseconds
    // of their UTC midnight (UnixDay). Unknown dimension values are '' (they are key columns), shown as null by the API.
    private static string Schema(string identity, string blob) => $"""
        -- Every event folded, as received, so the figures can be rebuilt. The inbox (same transaction) already makes ids
        -- unique, so no second unique index slows the fold.
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
            newest_event_at BIGINT NOT NULL);

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
            last_activity_type TEXT NULL);
        -- Renewal coverage: an account's runs of one playbook.
        CREATE INDEX ix_metric_runs_account ON metric_runs (account_id, definition_id);

        CREATE TABLE metric_run_steps (
            instance_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            PRIMARY KEY (instance_id, activity_id));

        CREATE TABLE metric_accounts (
            account_id TEXT PRIMARY KEY,
            segment TEXT NOT NULL,
            owner_csm TEXT NOT NULL,
            team TEXT NOT NULL,
            renewal_at BIGINT NULL,
            updated_at BIGINT NOT NULL);
        CREATE INDEX ix_metric_accounts_renewal ON metric_accounts (renewal_at);

        CREATE TABLE metric_tasks (
            task_id TEXT PRIMARY KEY,
            created_at BIGINT NULL,
            overdue_at BIGINT NULL,
            closed_at BIGINT NULL);
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
            PRIMARY KEY (incident_id, account_id));
        CREATE INDEX ix_metric_incidents_open ON metric_incidents (account_id) WHERE resolved_at IS NULL;

        -- One notice is one (instance, activity) send, whatever its number of recipients.
        CREATE TABLE metric_incident_notices (
            incident_id TEXT NOT NULL,
            account_id TEXT NOT NULL,
            instance_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            PRIMARY KEY (incident_id, account_id, instance_id, activity_id));

        -- Daily buckets (BucketTables describes each).
        CREATE TABLE metric_run_day (
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
            PRIMARY KEY (day, definition_id, version, segment));

        CREATE TABLE metric_step_day (
            day BIGINT NOT NULL,
            definition_id TEXT NOT NULL,
            version BIGINT NOT NULL,
            activity_id TEXT NOT NULL,
            activity_type TEXT NOT NULL,
            reached BIGINT NOT NULL DEFAULT 0,
            dropped BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (day, definition_id, version, activity_id, activity_type));

        CREATE TABLE metric_variant_day (
            day BIGINT NOT NULL,
            definition_id TEXT NOT NULL,
            version BIGINT NOT NULL,
            variant TEXT NOT NULL,
            runs BIGINT NOT NULL DEFAULT 0,
            goal_reached BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (day, definition_id, version, variant));

        CREATE TABLE metric_task_day (
            day BIGINT NOT NULL,
            assignee TEXT NOT NULL,
            team TEXT NOT NULL,
            created BIGINT NOT NULL DEFAULT 0,
            completed BIGINT NOT NULL DEFAULT 0,
            completed_with_due BIGINT NOT NULL DEFAULT 0,
            completed_on_time BIGINT NOT NULL DEFAULT 0,
            overdue BIGINT NOT NULL DEFAULT 0,
            cancelled BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (day, assignee, team));

        CREATE TABLE metric_notification_day (
            day BIGINT NOT NULL,
            channel TEXT NOT NULL,
            sent BIGINT NOT NULL DEFAULT 0,
            failed BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (day, channel));

        CREATE TABLE metric_incident_day (
            day BIGINT NOT NULL,
            severity TEXT NOT NULL,
            opened BIGINT NOT NULL DEFAULT 0,
            noticed BIGINT NOT NULL DEFAULT 0,
            updates BIGINT NOT NULL DEFAULT 0,
            timed_updates BIGINT NOT NULL DEFAULT 0,
            on_cadence BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (day, severity));

        CREATE TABLE metric_run_duration_day (
            day BIGINT NOT NULL,
            definition_id TEXT NOT NULL,
            version BIGINT NOT NULL,
            segment TEXT NOT NULL,
            samples BIGINT NOT NULL,
            bins {blob} NOT NULL,
            PRIMARY KEY (day, definition_id, version, segment));

        CREATE TABLE metric_task_completion_day (
            day BIGINT NOT NULL,
            assignee TEXT NOT NULL,
            team TEXT NOT NULL,
            samples BIGINT NOT NULL,
            bins {blob} NOT NULL,
            PRIMARY KEY (day, assignee, team));

        CREATE TABLE metric_first_notice_day (
            day BIGINT NOT NULL,
            severity TEXT NOT NULL,
            samples BIGINT NOT NULL,
            bins {blob} NOT NULL,
            PRIMARY KEY (day, severity));
        """;

    /// <summary>Everything derived from <c>metric_events</c>: what a rebuild empties before replaying.</summary>
    internal static readonly IReadOnlyList<string> DerivedTables =
    [
        "metric_progress", "metric_runs", "metric_run_steps", "metric_accounts", "metric_tasks", "metric_incidents", "metric_incident_notices",
        .. BucketTables.Counters.Select(t => t.Name), .. BucketTables.Sketches.Select(t => t.Name),
    ];
}
