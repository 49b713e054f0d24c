using System.Data.Common;
using System.Text;
using Dapper;
using Playbooks.Storage;

namespace Playbooks.Messaging.Inbox;

/// <summary>
/// Remembers which events a service has handled, inside the transaction that handles them,
/// so a redelivered event has no second effect.
/// </summary>
public static class Inbox
{
    // Each id takes one parameter; SQLite and PostgreSQL both accept far more, this keeps statements a sensible size.
    private const int IdsPerStatement = 500;

    /// <summary>
    /// How <c>received_at</c> is written: ISO 8601 in UTC, so text order is time order (<see cref="InboxPruner"/>
    /// deletes by a range of it).
    /// </summary>
    public static string ReceivedAt(DateTimeOffset now) => now.ToUniversalTime().ToString("O");

    /// <summary>True the first time <paramref name="eventId"/> is seen; false for a redelivery.</summary>
    public static async Task<bool> TryAcceptAsync(DbConnection connection, DbTransaction transaction, string eventId, DateTimeOffset now) =>
        await connection.ExecuteAsync(
            "INSERT INTO inbox (event_id, received_at) VALUES (@eventId, @now) ON CONFLICT (event_id) DO NOTHING",
            new { eventId, now = ReceivedAt(now) }, transaction) == 1;

    /// <summary>
    /// The ids among <paramref name="eventIds"/> seen for the first time (for consumers that handle events in batches);
    /// the others are redeliveries. Correct under concurrent replicas: the database, not a prior read, decides which
    /// insert wins. PostgreSQL gets one statement per few hundred ids (one round trip); SQLite, in process, one prepared
    /// single-row statement per id, since binding thousands of named parameters costs it more than running it again.
    /// </summary>
    public static async Task<IReadOnlySet<string>> AcceptManyAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider,
        IEnumerable<string> eventIds, DateTimeOffset now)
    {
        var ids = eventIds.Distinct(StringComparer.Ordinal);
        return provider == DatabaseProvider.Postgres ? await AcceptInChunksAsync(connection, transaction, ids, now) : await AcceptOneByOneAsync(connection, transaction, ids, now);
    }

    private static async Task<IReadOnlySet<string>> AcceptOneByOneAsync(DbConnection connection, DbTransaction transaction, IEnumerable<string> eventIds, DateTimeOffset now)
    {
        var accepted = new HashSet<string>(StringComparer.Ordinal);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO inbox (event_id, received_at) VALUES (@id, @now) ON CONFLICT (event_id) DO NOTHING";
        var id = command.CreateParameter();
        id.ParameterName = "@id";
        var received = command.CreateParameter();
        received.ParameterName = "@now";
        received.Value = ReceivedAt(now);
        command.Parameters.Add(id);
        command.Parameters.Add(received);
        foreach (var eventId in eventIds)
        {
            id.Value = eventId;
            if (await command.ExecuteNonQueryAsync() == 1) accepted.Add(eventId);
        }
        return accepted;
    }

    private static async Task<IReadOnlySet<string>> AcceptInChunksAsync(DbConnection connection, DbTransaction transaction, IEnumerable<string> eventIds, DateTimeOffset now)
    {
        var accepted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in eventIds.Chunk(IdsPerStatement))
        {
            var parameters = new DynamicParameters();
            parameters.Add("now", ReceivedAt(now));
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
