using Playbooks.Storage.Audit;
using Playbooks.Messaging;
using Playbooks.Storage;

namespace Playbooks.Notifications.Storage;

/// <summary>
/// The notifications service's schema, step by step; the same SQL serves SQLite and PostgreSQL. Times are Unix
/// milliseconds (UTC) so due-time comparisons and indexes behave the same on both; flags are integers 0/1 for the same reason.
/// </summary>
public static class NotificationsMigrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        MessagingTables.Migration(1),
        new(2, "templates", Templates, Templates),
        new(3, "deliveries", Deliveries, Deliveries),
        new(4, "in-app inbox", InApp, InApp),
        AuditTables.Migration(5),
        MessagingTables.InboxByAge(6),
    ];

    private const string Templates = """
        CREATE TABLE templates (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            channel TEXT NOT NULL,
            subject TEXT NULL,
            text_body TEXT NOT NULL,
            html_body TEXT NULL,
            urgent INTEGER NOT NULL DEFAULT 0,
            shipped INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL,
            updated_at BIGINT NOT NULL);
        """;

    // One row per (instance, activity, recipient): the unique key is what makes a request at most one send per recipient,
    // whatever the bus redelivers. The message is rendered when the row is created, so a later template edit
    // does not change what a queued delivery says.
    private const string Deliveries = """
        CREATE TABLE deliveries (
            id TEXT PRIMARY KEY,
            instance_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            recipient TEXT NOT NULL,
            definition_id TEXT NOT NULL,
            playbook_name TEXT NOT NULL,
            account_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            template_id TEXT NOT NULL,
            recipient_name TEXT NULL,
            audience TEXT NOT NULL,
            webhook_url TEXT NULL,
            time_zone TEXT NULL,
            urgent INTEGER NOT NULL DEFAULT 0,
            subject TEXT NULL,
            text_body TEXT NULL,
            html_body TEXT NULL,
            trace_parent TEXT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            round_attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NULL,
            deferred_reason TEXT NULL,
            next_attempt_at BIGINT NOT NULL,
            lease_until BIGINT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            sent_at BIGINT NULL,
            UNIQUE (instance_id, activity_id, recipient));
        CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
        CREATE INDEX deliveries_account ON deliveries (account_id, created_at);
        CREATE INDEX deliveries_recipient_sent ON deliveries (recipient, channel, sent_at);
        CREATE INDEX deliveries_created ON deliveries (created_at);
        """;

    private const string InApp = """
        CREATE TABLE inapp_messages (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            account_id TEXT NOT NULL,
            instance_id TEXT NOT NULL,
            subject TEXT NULL,
            body TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            read_at BIGINT NULL);
        CREATE INDEX inapp_user ON inapp_messages (user_id, created_at);
        """;
}
