using System.Data.Common;
using System.Text;
using Dapper;

namespace Playbooks.Messaging.Inbox;

/// <summary>
/// Remembers which events a service has handled, inside the transaction that handles them,
/// so a redelivered event has no second effect.
/// </summary>
public static class Inbox
{
    // Each id takes one parameter; SQLite and PostgreSQL both accept far more, this keeps statements a sensible size.
    private const int IdsPerStatement = 500;

    /// <summary>True the first time <paramref name="eventId"/> is seen; false for a redelivery.</summary>
    public static async Task<bool> TryAcceptAsync(DbConnection connection, DbTransaction transaction, string eventId, DateTimeOffset now) =>
        await connection.ExecuteAsync(
            "INSERT INTO inbox (event_id, received_at) VALUES (@eventId, @now) ON CONFLICT (event_id) DO NOTHING",
            new { eventId, now = now.ToString("O") }, transaction) == 1;

    /// <summary>
    /// The ids among <paramref name="eventIds"/> seen for the first time, recorded with one statement per few hundred ids
    /// (for consumers that handle events in batches); the others are redeliveries. Correct under concurrent replicas:
    /// the database, not a prior read, decides which insert wins.
    /// </summary>
    public static async Task<IReadOnlySet<string>> AcceptManyAsync(DbConnection connection, DbTransaction transaction, IEnumerable<string> eventIds, DateTimeOffset now)
    {
        var accepted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in eventIds.Distinct(StringComparer.Ordinal).Chunk(IdsPerStatement))
        {
            var parameters = new DynamicParameters();
            parameters.Add("now", now.ToString("O"));
            var values = new StringBuilder();
            for (var i = 0; i < chunk.Length; i++)
            {
                values.Append(i == 0 ? "" : ", ").Append("(@e").Append(i).Append(", @now)");
                parameters.Add($"e{i}", chunk[i]);
            }
            accepted.UnionWith(await connection.QueryAsync<string>(
                $"INSERT INTO inbox (event_id, received_at) VALUES {values} ON CONFLICT (event_id) DO NOTHING RETURNING event_id", parameters, transaction));
        }
        return accepted;
    }
}
