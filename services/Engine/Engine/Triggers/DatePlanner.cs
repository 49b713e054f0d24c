using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Logging;
using Playbooks.Engine.Accounts;
using Playbooks.Engine.Activities.Timing;
using Playbooks.Engine.Storage;
using Playbooks.Messaging.Contracts;
using Playbooks.Storage;

namespace Playbooks.Engine.Triggers;

/// <summary>
/// Date-relative triggers (e.g. 120 days before <c>renewalDate</c>) as durable rows, one per (playbook, trigger, account,
/// date), due at 09:00 in the account's time zone. Re-planned when the date changes; a due time already passed fires
/// at once while the date itself is still ahead (an account that is 100 days from renewal still gets outreach).
/// </summary>
public sealed partial class DatePlanner(ServiceDatabase database, TriggerIndex index, Instances.WorkLease lease, TimeProvider clock, ILogger<DatePlanner> logger)
{
    private static readonly TimeOnly LocalFireTime = new(9, 0);

    public async Task ReplanAsync(AccountSnapshot account, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var entry in index.Current.Dates)
        {
            var anchor = AnchorOf(account, entry.Trigger.Field!);
            var key = new { definitionId = entry.Playbook.DefinitionId, index = entry.Index, accountId = account.Id, anchor = anchor?.ToString("yyyy-MM-dd") };
            await connection.ExecuteAsync(
                "DELETE FROM date_triggers WHERE definition_id = @definitionId AND trigger_index = @index AND account_id = @accountId AND fired_at IS NULL AND (@anchor IS NULL OR anchor <> @anchor)",
                key);
            if (anchor is not { } date || date < DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)) continue;
            var zone = AccountZone.Of(account);
            var local = date.AddDays(entry.Trigger.OffsetDays ?? 0).ToDateTime(LocalFireTime);
            var due = new DateTimeOffset(local, zone.GetUtcOffset(local));
            await connection.ExecuteAsync(
                """
                INSERT INTO date_triggers (definition_id, trigger_index, account_id, anchor, due_at)
                VALUES (@definitionId, @index, @accountId, @anchor, @due) ON CONFLICT DO NOTHING
                """, new { key.definitionId, key.index, key.accountId, key.anchor, due = EngineJson.Millis(due) });
        }
    }

    /// <summary>After a publish: plan the new triggers for every account.</summary>
    public async Task PlanAllAsync(AccountStore accounts, CancellationToken cancellationToken)
    {
        if (index.Current.Dates.Count == 0) return;
        for (var skip = 0; ; skip += 500)
        {
            var (page, _) = await accounts.ListAsync(null, null, null, skip, 500, cancellationToken);
            foreach (var account in page) await ReplanAsync(account, cancellationToken);
            if (page.Count < 500) return;
        }
    }

    /// <summary>Starts the playbooks whose dates are due; each row fires once (the start is idempotent, then the row is marked).</summary>
    public async Task FireDueAsync(TriggerStarter starter, AccountStore accounts, CancellationToken cancellationToken)
    {
        List<(string DefinitionId, long TriggerIndex, string AccountId, string Anchor)> due;
        var claimedUntil = lease.Until();
        // On PostgreSQL replicas claim disjoint rows under a lease, so each due date fires on one replica; a dead
        // replica's claims lapse and another fires them (the start's deterministic id keeps that to one run).
        await using (var connection = await database.OpenAsync(cancellationToken))
            due = database.Provider != DatabaseProvider.Postgres
                ? (await connection.QueryAsync<(string, long, string, string)>(
                    "SELECT definition_id, CAST(trigger_index AS BIGINT), account_id, anchor FROM date_triggers WHERE fired_at IS NULL AND due_at <= @now ORDER BY due_at LIMIT 500",
                    new { now = EngineJson.Millis(clock.GetUtcNow()) })).ToList()
                : (await connection.QueryAsync<(string, long, string, string)>(
                    """
                    UPDATE date_triggers d SET claimed_until = @leaseUntil
                    FROM (SELECT definition_id, trigger_index, account_id, anchor FROM date_triggers
                          WHERE fired_at IS NULL AND due_at <= @now AND (claimed_until IS NULL OR claimed_until < @wallNow)
                          ORDER BY due_at LIMIT 500 FOR UPDATE SKIP LOCKED) c
                    WHERE d.definition_id = c.definition_id AND d.trigger_index = c.trigger_index AND d.account_id = c.account_id AND d.anchor = c.anchor
                    RETURNING d.definition_id, CAST(d.trigger_index AS BIGINT), d.account_id, d.anchor
                    """,
                    new { now = EngineJson.Millis(clock.GetUtcNow()), wallNow = Instances.WorkLease.WallNow(), leaseUntil = claimedUntil })).ToList();
        var claimedAt = Environment.TickCount64;
        var next = 0;
        var givingBack = false;
        // The batch's claims are renewed while it fires, so one slow start (a run whose first step calls a CRM, retried)
        // never outlasts them; past half the lease the rest goes back to be claimed afresh, by whichever replica is free.
        await using (var renewal = database.Provider != DatabaseProvider.Postgres ? null : new Instances.ClaimRenewal(lease, async until =>
        {
            if (await RenewAsync(due.Skip(next).ToList(), claimedUntil, until) == 0) return false;
            claimedUntil = until;
            return true;
        }, error => LogRenewalFailed(logger, due.Count - next, error)))
        {
            for (; next < due.Count; next++)
            {
                if (renewal is not null && renewal.Lost.IsCancellationRequested)
                {
                    LogClaimLost(logger, due.Count - next);
                    return;
                }
                if (renewal is not null && Environment.TickCount64 - claimedAt > lease.Duration.TotalMilliseconds / 2)
                {
                    givingBack = true;
                    break;
                }
                var (definitionId, triggerIndex, accountId, anchor) = due[next];
                var entry = index.Current.Dates.FirstOrDefault(e => e.Playbook.DefinitionId == definitionId && e.Index == triggerIndex);
                var account = await accounts.GetAsync(accountId, cancellationToken);
                if (entry is not null && account is not null)
                {
                    var payload = new JsonObject
                    {
                        ["type"] = "date.reached", ["accountId"] = accountId,
                        ["data"] = new JsonObject { ["field"] = entry.Trigger.Field, ["date"] = anchor, ["offsetDays"] = entry.Trigger.OffsetDays },
                    };
                    await starter.FireAsync(entry, account, payload, $"date:{triggerIndex}:{anchor}", cancellationToken);
                }
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteAsync(
                    "UPDATE date_triggers SET fired_at = @now WHERE definition_id = @definitionId AND trigger_index = @triggerIndex AND account_id = @accountId AND anchor = @anchor",
                    new { now = EngineJson.Millis(clock.GetUtcNow()), definitionId, triggerIndex, accountId, anchor });
            }
        }
        // After the renewal has stopped, so the claims given back are as it left them.
        if (givingBack) await GiveBackAsync(due.Skip(next).ToList(), claimedUntil);
    }

    private const string Mine = """
        FROM unnest(@definitionIds, @indexes, @accountIds, @anchors) AS mine(definition_id, trigger_index, account_id, anchor)
        WHERE d.definition_id = mine.definition_id AND d.trigger_index = mine.trigger_index AND d.account_id = mine.account_id
          AND d.anchor = mine.anchor AND d.claimed_until = @claimedUntil AND d.fired_at IS NULL
        """;

    private static DynamicParameters Keys(List<(string DefinitionId, long TriggerIndex, string AccountId, string Anchor)> rows, long claimedUntil) => new(new
    {
        definitionIds = rows.Select(r => r.DefinitionId).ToArray(), indexes = rows.Select(r => (int)r.TriggerIndex).ToArray(),
        accountIds = rows.Select(r => r.AccountId).ToArray(), anchors = rows.Select(r => r.Anchor).ToArray(), claimedUntil,
    });

    /// <summary>Extends this replica's claims on the date triggers it has yet to fire; returns how many are still its own.</summary>
    private async Task<int> RenewAsync(List<(string DefinitionId, long TriggerIndex, string AccountId, string Anchor)> rest, long claimedUntil, long until)
    {
        if (rest.Count == 0) return 0;
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var parameters = Keys(rest, claimedUntil);
        parameters.Add("until", until);
        return await connection.ExecuteAsync($"UPDATE date_triggers d SET claimed_until = @until {Mine}", parameters);
    }

    /// <summary>Clears this replica's claims on date triggers it did not fire, unless they are another's by now.</summary>
    private async Task GiveBackAsync(List<(string DefinitionId, long TriggerIndex, string AccountId, string Anchor)> rest, long claimedUntil)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync($"UPDATE date_triggers d SET claimed_until = NULL {Mine}", Keys(rest, claimedUntil));
    }

    private static DateOnly? AnchorOf(AccountSnapshot account, string field) => AccountChanges.Field(account, field) switch
    {
        { ValueKind: JsonValueKind.String } text when DateOnly.TryParse(text.GetString(), CultureInfo.InvariantCulture, out var date) => date,
        { ValueKind: JsonValueKind.String } text when DateTimeOffset.TryParse(text.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => DateOnly.FromDateTime(at.UtcDateTime),
        _ => null,
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Renewing the claims on {Count} due dates failed; trying again shortly")]
    private static partial void LogRenewalFailed(ILogger logger, int count, Exception error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Another replica took over {Count} due dates of this one's batch (its claims lapsed: their renewals failed or came too late); leaving them to it")]
    private static partial void LogClaimLost(ILogger logger, int count);
}
