using System.Data.Common;
using Dapper;
using Playbooks.Messaging;
using Playbooks.Storage;
using MessagingInbox = Playbooks.Messaging.Inbox.Inbox;
using MessagingOutbox = Playbooks.Messaging.Outbox.Outbox;

namespace Playbooks.Notifications.Delivery;

/// <summary>
/// The durable delivery rows. Every state change commits together with the event it publishes (transactional outbox),
/// and only applies to a delivery still claimed, so a late or duplicate worker cannot undo another's result.
/// </summary>
public sealed class DeliveryStore(ServiceDatabase database, MessagingOutbox outbox, DeliverySignal signal, DeliveryOptions options, TimeProvider time)
{
    /// <summary>
    /// Records a request's deliveries in one transaction and returns how many were new. A request already handled
    /// (its event id in the inbox), or a recipient that already has a delivery for this instance and activity, adds nothing.
    /// </summary>
    public async Task<int> AddAsync(IReadOnlyList<DeliveryRecord> deliveries, string? inboxEventId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (inboxEventId is not null && !await MessagingInbox.TryAcceptAsync(connection, transaction, inboxEventId, now)) return 0;

        // Dapper runs one command for the whole list, so a 10,000-contact fan-out is prepared once, not 10,000 times.
        var pending = deliveries.Where(delivery => delivery.Status != DeliveryStatus.Rejected).ToList();
        var added = pending.Count == 0 ? 0 : await connection.ExecuteAsync(InsertSql, pending, transaction);
        var events = new List<EventEnvelope>();
        foreach (var rejected in deliveries.Where(delivery => delivery.Status == DeliveryStatus.Rejected))
        {
            // One at a time: only a refusal recorded now (not one recorded by an earlier copy of the request) is reported.
            if (await connection.ExecuteAsync(InsertSql, rejected, transaction) == 0) continue;
            added++;
            events.Add(DeliveryEvents.Failed(rejected, attempts: 0, rejected.LastError ?? "rejected", now));
        }
        if (events.Count > 0) await MessagingOutbox.AddAsync(connection, transaction, events);
        await transaction.CommitAsync(cancellationToken);
        outbox.Committed(events);
        if (added > 0) signal.Raise();
        return added;
    }

    /// <summary>Claims up to <paramref name="limit"/> due deliveries for <see cref="DeliveryOptions.Lease"/>; replicas claim disjoint rows.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>> ClaimDueAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var skipLocked = database.Provider == DatabaseProvider.Postgres ? "FOR UPDATE SKIP LOCKED" : "";
        await using var connection = await database.OpenAsync(cancellationToken);
        var claimed = await connection.QueryAsync<DeliveryRecord>(
            $"""
            UPDATE deliveries SET status = 'sending', lease_until = @lease, updated_at = @now
            WHERE id IN (SELECT id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= @now
                         ORDER BY next_attempt_at LIMIT @limit {skipLocked})
            RETURNING {DeliveryRecord.Columns}
            """,
            new { now, lease = now + (long)options.Lease.TotalMilliseconds, limit });
        return claimed.OrderBy(delivery => delivery.NextAttemptAt).ToList();
    }

    /// <summary>Claims whose lease ran out: the process that held them stopped mid-send.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>> ExpiredClaimsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DeliveryRecord>(
            $"SELECT {DeliveryRecord.Columns} FROM deliveries WHERE status = 'sending' AND lease_until < @now ORDER BY lease_until LIMIT 500",
            new { now = time.GetUtcNow().ToUnixTimeMilliseconds() })).ToList();
    }

    /// <summary>Records what became of claimed deliveries, with their events, in one transaction.</summary>
    internal async Task ApplyAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0) return;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var events = new List<EventEnvelope>();
        foreach (var outcome in outcomes)
        {
            if (await ApplyAsync(connection, transaction, outcome, now) == 1 && outcome.Event is { } published) events.Add(published);
        }
        if (events.Count > 0) await MessagingOutbox.AddAsync(connection, transaction, events);
        await transaction.CommitAsync(cancellationToken);
        outbox.Committed(events);
    }

    private static Task<int> ApplyAsync(DbConnection connection, DbTransaction transaction, DeliveryOutcome outcome, long now)
    {
        var counted = outcome.Counted ? 1 : 0;
        var parameters = new { outcome.Delivery.Id, outcome.Error, At = outcome.NextAttemptAt, Counted = counted, Now = now };
        var change = outcome.Kind switch
        {
            OutcomeKind.Sent => "status = 'sent', sent_at = @Now, deferred_reason = NULL",
            OutcomeKind.Retry => "status = 'pending', last_error = @Error, deferred_reason = NULL, next_attempt_at = @At",
            OutcomeKind.Dead => "status = 'dead', last_error = @Error, deferred_reason = NULL",
            _ => "status = 'pending', deferred_reason = @Error, next_attempt_at = @At",
        };
        return connection.ExecuteAsync(
            $"""
            UPDATE deliveries SET {change}, attempts = attempts + @Counted, round_attempts = round_attempts + @Counted,
                lease_until = NULL, updated_at = @Now
            WHERE id = @Id AND status = 'sending'
            """,
            parameters, transaction);
    }

    /// <summary>Puts a dead-lettered delivery back in line for a fresh set of attempts.</summary>
    public async Task<(RetryResult Result, DeliveryRecord? Delivery)> RetryAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            """
            UPDATE deliveries SET status = 'pending', round_attempts = 0, next_attempt_at = @now, deferred_reason = NULL, updated_at = @now
            WHERE id = @id AND status = 'dead'
            """,
            new { id, now });
        var delivery = await FindAsync(connection, id);
        if (changed == 1) signal.Raise();
        return (delivery is null ? RetryResult.NotFound : changed == 1 ? RetryResult.Queued : RetryResult.NotDead, delivery);
    }

    public async Task<DeliveryRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindAsync(connection, id);
    }

    public async Task<IReadOnlyList<DeliveryRecord>> ForActivityAsync(string instanceId, string activityId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DeliveryRecord>(
            $"SELECT {DeliveryRecord.Columns} FROM deliveries WHERE instance_id = @instanceId AND activity_id = @activityId ORDER BY recipient",
            new { instanceId, activityId })).ToList();
    }

    /// <summary>One page of the delivery log, newest first, and how many match in all.</summary>
    public async Task<(IReadOnlyList<DeliveryRecord> Page, int Total)> ListAsync(DeliveryQuery query, CancellationToken cancellationToken)
    {
        var filters = new List<string>();
        if (query.Instance is not null) filters.Add("instance_id = @Instance");
        if (query.Account is not null) filters.Add("account_id = @Account");
        if (query.Status is not null) filters.Add("status = @Status");
        if (query.Channel is not null) filters.Add("channel = @Channel");
        if (query.Recipient is not null) filters.Add("recipient = @Recipient");
        var where = filters.Count == 0 ? "" : "WHERE " + string.Join(" AND ", filters);
        await using var connection = await database.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM deliveries {where}", query);
        var page = await connection.QueryAsync<DeliveryRecord>(
            $"SELECT {DeliveryRecord.Columns} FROM deliveries {where} ORDER BY created_at DESC, id DESC LIMIT @PageSize OFFSET @Offset", query);
        return (page.ToList(), total);
    }

    /// <summary>When the earliest waiting delivery falls due (Unix ms), or null when none waits.</summary>
    public async Task<long?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>("SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending'");
    }

    /// <summary>When each recipient was sent a message on each channel since <paramref name="since"/> (Unix ms), oldest first.</summary>
    public async Task<ILookup<(string Recipient, string Channel), long>> SentTimesAsync(IReadOnlyCollection<string> recipients, long since, CancellationToken cancellationToken)
    {
        if (recipients.Count == 0) return Array.Empty<long>().ToLookup(_ => ("", ""));
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SentRow>(
            $"SELECT recipient AS Recipient, channel AS Channel, sent_at AS SentAt FROM deliveries WHERE {SqlLists.In(database.Provider, "recipient", "recipients")} AND sent_at >= @since ORDER BY sent_at",
            new { recipients = recipients.ToArray(), since });
        return rows.ToLookup(row => (row.Recipient, row.Channel), row => row.SentAt);
    }

    private sealed class SentRow
    {
        public string Recipient { get; init; } = "";
        public string Channel { get; init; } = "";
        public long SentAt { get; init; }
    }

    private static Task<DeliveryRecord?> FindAsync(DbConnection connection, string id) =>
        connection.QuerySingleOrDefaultAsync<DeliveryRecord>($"SELECT {DeliveryRecord.Columns} FROM deliveries WHERE id = @id", new { id });

    private const string InsertSql = """
        INSERT INTO deliveries (id, instance_id, activity_id, recipient, definition_id, playbook_name, account_id, channel, template_id,
            recipient_name, audience, webhook_url, time_zone, urgent, subject, text_body, html_body, trace_parent, status, attempts,
            round_attempts, last_error, deferred_reason, next_attempt_at, created_at, updated_at)
        VALUES (@Id, @InstanceId, @ActivityId, @Recipient, @DefinitionId, @PlaybookName, @AccountId, @Channel, @TemplateId,
            @RecipientName, @Audience, @WebhookUrl, @TimeZone, @Urgent, @Subject, @TextBody, @HtmlBody, @TraceParent, @Status, 0,
            0, @LastError, NULL, @NextAttemptAt, @CreatedAt, @UpdatedAt)
        ON CONFLICT (instance_id, activity_id, recipient) DO NOTHING
        """;
}

public enum RetryResult
{
    Queued,
    NotFound,

    /// <summary>Only dead-lettered deliveries can be retried: a sent one would be sent twice, a pending one is already queued.</summary>
    NotDead,
}
