using System.Data.Common;
using System.Text;
using Playbooks.Storage;

namespace Playbooks.Metrics.Storage;

/// <summary>
/// Writes many rows the way each provider takes them fastest. PostgreSQL: multi-row <c>INSERT … VALUES (…), (…)</c>,
/// one round trip per few hundred rows. SQLite (in process, no round trips): one single-row statement prepared once
/// and run per row, because binding a statement's named parameters costs SQLite a search per name, which a statement
/// with thousands of parameters turns into the bulk of the work.
/// Rows of one call must not repeat a conflict key (PostgreSQL refuses to update a row twice in one statement).
/// </summary>
internal static class SqlRows
{
    private const int ParametersPerStatement = 2000;

    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, string table,
        IReadOnlyList<string> columns, IReadOnlyCollection<object?[]> rows, string onConflict, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        var rowsPerStatement = provider == DatabaseProvider.Postgres ? Math.Max(1, ParametersPerStatement / columns.Count) : 1;
        var head = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ";
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        foreach (var chunk in rows.Chunk(rowsPerStatement))
        {
            if (chunk.Length != command.Parameters.Count / columns.Count) Prepare(command, head, columns.Count, chunk.Length, onConflict);
            for (var r = 0; r < chunk.Length; r++)
                for (var c = 0; c < columns.Count; c++)
                    command.Parameters[r * columns.Count + c].Value = chunk[r][c] ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static void Prepare(DbCommand command, string head, int columns, int rows, string onConflict)
    {
        command.Parameters.Clear();
        var text = new StringBuilder(head);
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns; c++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{r}_{c}";
                command.Parameters.Add(parameter);
                text.Append(c == 0 ? "" : ", ").Append(parameter.ParameterName);
            }
            text.Append(')');
        }
        command.CommandText = text.Append(' ').Append(onConflict).ToString();
    }
}
