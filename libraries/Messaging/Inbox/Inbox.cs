using System.Data.Common;
using Dapper;

namespace Playbooks.Messaging.Inbox;

/// <summary>
/// Remembers which events a service has handled, inside the transaction that handles them,
/// so a redelivered event has no second effect.
/// </summary>
public static class Inbox
{
    /// <summary>True the first time <paramref name="eventId"/> is seen; false for a redelivery.</summary>
    public static async Task<bool> TryAcceptAsync(DbConnection connection, DbTransaction transaction, string eventId, DateTimeOffset now) =>
        await connection.ExecuteAsync(
            "INSERT INTO inbox (event_id, received_at) VALUES (@eventId, @now) ON CONFLICT (event_id) DO NOTHING",
            new { eventId, now = now.ToString("O") }, transaction) == 1;
}
