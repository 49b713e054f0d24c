namespace Playbooks.Storage;

public enum DatabaseProvider
{
    /// <summary>One file per service under the data folder (embedded mode).</summary>
    Sqlite,

    /// <summary>One schema per service in a shared PostgreSQL database (distributed mode).</summary>
    Postgres,
}
