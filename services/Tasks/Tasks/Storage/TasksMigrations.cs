using Playbooks.Messaging;
using Playbooks.Storage;

namespace Playbooks.Tasks.Storage;

/// <summary>The tasks service's schema, step by step.</summary>
public static class TasksMigrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        MessagingTables.Migration(1),
        new(2, "tasks, checklists, comments, history and queues", Sqlite: Schema("INTEGER PRIMARY KEY"), Postgres: Schema("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")),
        new(3, "teams in lower case, as CSMs' tokens name them", LowerCaseTeams, LowerCaseTeams),
        new(4, "newest and oldest first without sorting every task", ByCreation, ByCreation),
        MessagingTables.InboxByAge(5),
    ];

    // Integers are BIGINT (64-bit on both, as SQLite returns them) so Dapper maps rows the same way on each provider;
    // times are integer Unix milliseconds, see UnixTime.
    private const string LowerCaseTeams = "UPDATE tasks SET team = lower(team) WHERE team IS NOT NULL;";

    // sort=-created (the inbox's "newest") and sort=created read this index from either end and stop at the page.
    private const string ByCreation = "CREATE INDEX ix_tasks_created ON tasks (created_at, id);";

    private static string Schema(string identity) => $"""
        CREATE TABLE tasks (
            id TEXT PRIMARY KEY,
            instance_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            definition_id TEXT NOT NULL,
            definition_version BIGINT NOT NULL,
            playbook_name TEXT NOT NULL,
            account_id TEXT NOT NULL,
            account_name TEXT NOT NULL,
            title TEXT NOT NULL,
            description TEXT NULL,
            assignee TEXT NULL,
            team TEXT NULL,
            due_at BIGINT NULL,
            priority TEXT NOT NULL,
            priority_rank BIGINT NOT NULL,
            outcomes TEXT NOT NULL,
            status TEXT NOT NULL,
            snoozed_until BIGINT NULL,
            overdue_at BIGINT NULL,
            outcome TEXT NULL,
            note TEXT NULL,
            closed_by TEXT NULL,
            closed_at BIGINT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL);
        -- One task per activity of a run, however often its request is delivered.
        CREATE UNIQUE INDEX ux_tasks_instance_activity ON tasks (instance_id, activity_id);
        -- A CSM's inbox: their open tasks by due time.
        CREATE INDEX ix_tasks_assignee_status_due ON tasks (assignee, status, due_at);
        CREATE INDEX ix_tasks_account_status ON tasks (account_id, status);
        CREATE INDEX ix_tasks_team_status ON tasks (team, status);
        -- The overdue sweep and its next wake-up read only tasks not yet marked, by status and due time.
        CREATE INDEX ix_tasks_due_watch ON tasks (status, due_at) WHERE overdue_at IS NULL;
        CREATE INDEX ix_tasks_snoozed_until ON tasks (snoozed_until) WHERE status = 'snoozed';

        CREATE TABLE task_checklist (
            task_id TEXT NOT NULL REFERENCES tasks (id),
            item BIGINT NOT NULL,
            text TEXT NOT NULL,
            done BIGINT NOT NULL DEFAULT 0,
            done_by TEXT NULL,
            done_at BIGINT NULL,
            PRIMARY KEY (task_id, item));

        CREATE TABLE task_comments (
            id {identity},
            task_id TEXT NOT NULL REFERENCES tasks (id),
            author TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at BIGINT NOT NULL);
        CREATE INDEX ix_task_comments_task ON task_comments (task_id, id);

        CREATE TABLE task_history (
            id {identity},
            task_id TEXT NOT NULL REFERENCES tasks (id),
            at BIGINT NOT NULL,
            actor TEXT NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL,
            old_value TEXT NULL,
            new_value TEXT NULL);
        CREATE INDEX ix_task_history_task ON task_history (task_id, id);

        CREATE TABLE task_queues (
            name TEXT PRIMARY KEY,
            turns BIGINT NOT NULL DEFAULT 0,
            updated_at BIGINT NOT NULL,
            updated_by TEXT NOT NULL);

        CREATE TABLE task_queue_members (
            queue TEXT NOT NULL REFERENCES task_queues (name),
            member TEXT NOT NULL,
            position BIGINT NOT NULL,
            last_turn BIGINT NULL,
            PRIMARY KEY (queue, member));
        """;
}
