using System.Data.Common;
using System.Text;

namespace Playbooks.Metrics.Storage;

/// <summary>
/// Writes many rows with multi-row <c>INSERT … VALUES (…), (…)</c> statements: one round trip per few hundred rows on
/// PostgreSQL and one parse on SQLite, which is most of what makes a batch of events cheap to fold.
/// Rows of one call must not repeat a conflict key (PostgreSQL refuses to update a row twice in one statement).
/// </summary>
internal static class SqlRows
{
    private const int ParametersPerStatement = 2000;

    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns,
        IReadOnlyCollection<object?[]> rows, string onConflict, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        var rowsPerStatement = Math.Max(1, ParametersPerStatement / columns.Count);
        var head = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ";
        foreach (var chunk in rows.Chunk(rowsPerStatement))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var text = new StringBuilder(head);
            for (var r = 0; r < chunk.Length; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Count; c++)
                {
                    var name = $"@p{r}_{c}";
                    text.Append(c == 0 ? "" : ", ").Append(name);
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = chunk[r][c] ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }
                text.Append(')');
            }
            command.CommandText = text.Append(' ').Append(onConflict).ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
