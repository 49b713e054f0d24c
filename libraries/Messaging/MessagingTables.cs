using Playbooks.Storage;

namespace Playbooks.Messaging;

/// <summary>The outbox and inbox tables every service that publishes or consumes events adds to its migrations.</summary>
public static class MessagingTables
{
    public static Migration Migration(int version) => new(version, "outbox and inbox",
        Sqlite: """
            CREATE TABLE outbox (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                type TEXT NOT NULL,
                source TEXT NOT NULL,
                account_id TEXT NULL,
                occurred_at TEXT NOT NULL,
                data TEXT NOT NULL,
                trace_parent TEXT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NULL,
                dead_at TEXT NULL);
            CREATE TABLE inbox (
                event_id TEXT PRIMARY KEY,
                received_at TEXT NOT NULL);
            """,
        Postgres: """
            CREATE TABLE outbox (
                seq BIGSERIAL PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                type TEXT NOT NULL,
                source TEXT NOT NULL,
                account_id TEXT NULL,
                occurred_at TEXT NOT NULL,
                data TEXT NOT NULL,
                trace_parent TEXT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NULL,
                dead_at TEXT NULL);
            CREATE TABLE inbox (
                event_id TEXT PRIMARY KEY,
                received_at TEXT NOT NULL);
            """);

    /// <summary>
    /// The inbox by age, for <see cref="Inbox.InboxPruner"/>, which forgets what is older than the retention. An inbox
    /// that grew for years can have it built beforehand without blocking (<c>CREATE INDEX CONCURRENTLY</c>, k8s/README.md).
    /// </summary>
    public static Migration InboxByAge(int version) => new(version, "inbox by age, so old entries can be forgotten",
        Sqlite: "CREATE INDEX IF NOT EXISTS inbox_received_at ON inbox (received_at);",
        Postgres: "CREATE INDEX IF NOT EXISTS inbox_received_at ON inbox (received_at);");
}
