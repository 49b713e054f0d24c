using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Logging;
using NCrontab;
using Playbooks.Engine.Accounts;
using Playbooks.Engine.Storage;
using Playbooks.Storage;

namespace Playbooks.Engine.Triggers;

/// <summary>
/// Cron triggers: at each due time, the playbook starts for every account its condition selects. A due time is recorded
/// in <c>schedule_fires</c> only after its starts (which are idempotent), so a crash repeats it without duplicates and
/// replicas firing together start each run once.
/// </summary>
public sealed partial class ScheduleRunner(ServiceDatabase database, TriggerIndex index, Instances.WorkLease lease, TimeProvider clock, ILogger<ScheduleRunner> logger)
{
    private readonly ConcurrentDictionary<(string, int), DateTimeOffset> _since = new();

    public async Task FireDueAsync(TriggerStarter starter, AccountStore accounts, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var entry in index.Current.Schedules)
        {
            var key = (entry.Playbook.DefinitionId, entry.Index);
            var since = _since.GetOrAdd(key, _ => now);
            await using (var connection = await database.OpenAsync(cancellationToken))
            {
                var last = await connection.ExecuteScalarAsync<long?>(
                    "SELECT MAX(due_at) FROM schedule_fires WHERE definition_id = @DefinitionId AND trigger_index = @Index",
                    new { entry.Playbook.DefinitionId, entry.Index });
                if (last is { } l && EngineJson.At(l) > since) since = EngineJson.At(l);
            }
            var schedule = CrontabSchedule.Parse(entry.Trigger.Cron!);
            foreach (var due in schedule.GetNextOccurrences(since.UtcDateTime, now.UtcDateTime.AddTicks(1)))
            {
                var dueAt = new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc));
                if (await ClaimAsync(entry, dueAt, cancellationToken) is not { } claim) continue;
                // A due time for a whole book of accounts can take longer than a lease, and so can one start (a CRM
                // retried): the claim is renewed as the starts go, and if another replica has taken it over meanwhile,
                // this one stops and leaves the due time to it.
                await using (var renewal = new Instances.ClaimRenewal(lease, async until =>
                {
                    if (!await RenewAsync(entry, dueAt, claim, until)) return false;
                    claim = until;
                    return true;
                }, error => LogRenewalFailed(logger, entry.Playbook.DefinitionId, dueAt, error)))
                {
                    for (var skip = 0; !renewal.Lost.IsCancellationRequested; skip += 500)
                    {
                        var (page, _) = await accounts.ListAsync(null, null, null, skip, 500, cancellationToken);
                        var payload = new JsonObject { ["type"] = "schedule.due", ["data"] = new JsonObject { ["cron"] = entry.Trigger.Cron, ["due"] = dueAt.ToString("O") } };
                        foreach (var account in page.TakeWhile(_ => !renewal.Lost.IsCancellationRequested))
                            await starter.FireAsync(entry, account, payload, $"schedule:{entry.Index}:{EngineJson.Millis(dueAt)}", cancellationToken);
                        if (page.Count < 500) break;
                    }
                    if (renewal.Lost.IsCancellationRequested)
                    {
                        LogClaimLost(logger, entry.Playbook.DefinitionId, dueAt);
                        continue;
                    }
                }
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteAsync(
                    "INSERT INTO schedule_fires (definition_id, trigger_index, due_at, fired_at) VALUES (@DefinitionId, @Index, @due, @now) ON CONFLICT DO NOTHING",
                    new { entry.Playbook.DefinitionId, entry.Index, due = EngineJson.Millis(dueAt), now = EngineJson.Millis(clock.GetUtcNow()) });
                _since[key] = dueAt;
            }
        }
    }

    /// <summary>
    /// Takes the due time for this replica unless another holds it or already fired it: a lease row per due time
    /// (<c>schedule_claims</c>), taken over when it lapses, so a due time fires on one replica, and again on another
    /// only if the first died before recording it.
    /// </summary>
    /// <returns>The claim's lease (Unix ms), or null if the due time is not this replica's to fire.</returns>
    private async Task<long?> ClaimAsync(TriggerIndex.Entry entry, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var key = new { entry.Playbook.DefinitionId, entry.Index, due = EngineJson.Millis(dueAt), leaseUntil = lease.Until(), wallNow = Instances.WorkLease.WallNow() };
        var fired = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM schedule_fires WHERE definition_id = @DefinitionId AND trigger_index = @Index AND due_at = @due", key);
        if (fired > 0) return null;
        var claimed = await connection.QueryAsync<long>(
            """
            INSERT INTO schedule_claims (definition_id, trigger_index, due_at, claimed_until) VALUES (@DefinitionId, @Index, @due, @leaseUntil)
            ON CONFLICT (definition_id, trigger_index, due_at) DO UPDATE SET claimed_until = excluded.claimed_until
            WHERE schedule_claims.claimed_until < @wallNow
            RETURNING due_at
            """, key);
        return claimed.Any() ? key.leaseUntil : null;
    }

    /// <summary>Extends this replica's claim on a due time it is firing; false if the claim is no longer its own.</summary>
    private async Task<bool> RenewAsync(TriggerIndex.Entry entry, DateTimeOffset dueAt, long claim, long until)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var renewed = await connection.ExecuteAsync(
            """
            UPDATE schedule_claims SET claimed_until = @until
            WHERE definition_id = @DefinitionId AND trigger_index = @Index AND due_at = @due AND claimed_until = @claim
            """,
            new { entry.Playbook.DefinitionId, entry.Index, due = EngineJson.Millis(dueAt), claim, until });
        return renewed == 1;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Renewing the claim on '{DefinitionId}' due at {DueAt:O} failed; trying again shortly")]
    private static partial void LogRenewalFailed(ILogger logger, string definitionId, DateTimeOffset dueAt, Exception error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Another replica took over '{DefinitionId}' due at {DueAt:O} (this one's claim lapsed: its renewals failed or came too late); leaving the rest of its accounts to it")]
    private static partial void LogClaimLost(ILogger logger, string definitionId, DateTimeOffset dueAt);
}
