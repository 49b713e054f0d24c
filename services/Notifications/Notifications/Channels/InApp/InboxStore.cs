using Dapper;
using Playbooks.Storage;

namespace Playbooks.Notifications.Channels.InApp;

/// <summary>The in-app inboxes. A message's id is its delivery's id, so storing it twice keeps one.</summary>
public sealed class InboxStore(ServiceDatabase database)
{
    public async Task AddAsync(InboxMessage message, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO inapp_messages (id, user_id, account_id, instance_id, subject, body, created_at)
            VALUES (@Id, @User, @AccountId, @InstanceId, @Subject, @Body, @CreatedAt)
            ON CONFLICT (id) DO NOTHING
            """,
            new { message.Id, message.User, message.AccountId, message.InstanceId, message.Subject, message.Body, CreatedAt = message.CreatedAt.ToUnixTimeMilliseconds() });
    }

    /// <summary>Newest first.</summary>
    public async Task<IReadOnlyList<InboxMessage>> ListAsync(string user, bool unreadOnly, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(
            $"""
            SELECT id AS Id, user_id AS UserId, account_id AS AccountId, instance_id AS InstanceId, subject AS Subject, body AS Body,
                   created_at AS CreatedAt, read_at AS ReadAt
            FROM inapp_messages WHERE user_id = @user {(unreadOnly ? "AND read_at IS NULL" : "")}
            ORDER BY created_at DESC, id DESC LIMIT @limit
            """,
            new { user = user.ToLowerInvariant(), limit });
        return rows.Select(row => row.ToMessage()).ToList();
    }

    public async Task<int> UnreadCountAsync(string user, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM inapp_messages WHERE user_id = @user AND read_at IS NULL", new { user = user.ToLowerInvariant() });
    }

    /// <summary>False when the user has no such message. Marking a read message again keeps its first read time.</summary>
    public async Task<bool> MarkReadAsync(string id, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE inapp_messages SET read_at = @now WHERE id = @id AND user_id = @user AND read_at IS NULL",
            new { id, user = user.ToLowerInvariant(), now = now.ToUnixTimeMilliseconds() });
        return await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM inapp_messages WHERE id = @id AND user_id = @user", new { id, user = user.ToLowerInvariant() }) == 1;
    }

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string UserId { get; init; } = "";
        public string AccountId { get; init; } = "";
        public string InstanceId { get; init; } = "";
        public string? Subject { get; init; }
        public string Body { get; init; } = "";
        public long CreatedAt { get; init; }
        public long? ReadAt { get; init; }

        public InboxMessage ToMessage() => new(Id, UserId, AccountId, InstanceId, Subject, Body,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), ReadAt is { } read ? DateTimeOffset.FromUnixTimeMilliseconds(read) : null);
    }
}
