namespace Playbooks.Storage.Audit;

/// <summary>The audit log table a service that records changes adds to its migrations.</summary>
public static class AuditTables
{
    public static Migration Migration(int version) => new(version, "audit log",
        Sqlite: """
            CREATE TABLE audit_log (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                at INTEGER NOT NULL,
                actor TEXT NOT NULL,
                role TEXT NOT NULL,
                action TEXT NOT NULL,
                subject TEXT NOT NULL,
                before_json TEXT NULL,
                after_json TEXT NULL);
            CREATE INDEX ix_audit_log_at ON audit_log (at);
            """,
        Postgres: """
            CREATE TABLE audit_log (
                seq BIGSERIAL PRIMARY KEY,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                role TEXT NOT NULL,
                action TEXT NOT NULL,
                subject TEXT NOT NULL,
                before_json TEXT NULL,
                after_json TEXT NULL);
            CREATE INDEX ix_audit_log_at ON audit_log (at);
            """);
}
