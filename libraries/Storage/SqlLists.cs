using Npgsql;

namespace Playbooks.Storage;

/// <summary>Lists handed to SQL as parameters, the same way in every service.</summary>
public static class SqlLists
{
    /// <summary>
    /// "column is one of @list" in each provider's words: Dapper expands a list into <c>IN (@l1, @l2…)</c> on SQLite but
    /// sends it to PostgreSQL as one array parameter, which needs <c>= ANY(@list)</c>.
    /// </summary>
    public static string In(DatabaseProvider provider, string column, string parameter) =>
        provider == DatabaseProvider.Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    /// <summary>
    /// A PostgreSQL array parameter, for <c>unnest(…)</c> inserts and <c>= ANY(…)</c>: one statement text whatever the
    /// number of rows, so it is planned and mapped once instead of once per batch size.
    /// </summary>
    public static NpgsqlParameter<T[]> Array<T>(IEnumerable<T> values) => new() { TypedValue = values.ToArray() };
}
