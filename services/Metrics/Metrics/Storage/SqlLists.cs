using Playbooks.Storage;

namespace Playbooks.Metrics.Storage;

/// <summary>
/// "column is one of @list" in each provider's words: Dapper expands a list into <c>IN (@l1, @l2…)</c> on SQLite but
/// sends it to PostgreSQL as one array parameter, which needs <c>= ANY(@list)</c>.
/// </summary>
internal static class SqlLists
{
    public static string In(DatabaseProvider provider, string column, string parameter) =>
        provider == DatabaseProvider.Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";
}
