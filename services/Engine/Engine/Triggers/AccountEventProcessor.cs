using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Playbooks.Engine.Accounts;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Expressions;
using Playbooks.Engine.Instances;
using Playbooks.Engine.Storage;
using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;
using Playbooks.ServiceDefaults.Telemetry;
using Playbooks.Storage;

namespace Playbooks.Engine.Triggers;

/// <summary>
/// Works through received account events in order: ends runs whose exit condition it meets, resumes runs waiting on it,
/// starts playbooks it triggers, handles account changes (threshold crossings, re-planned dates), republishes it for
/// the other services, and marks it processed. Every step is idempotent, so a crash mid-event just repeats it.
/// </summary>
internal sealed partial class AccountEventProcessor(
    AccountEventLog log, TriggerIndex index, TriggerStarter starter, InstanceRuntime runtime, AccountStore accounts, DatePlanner dates, GoalTracker goals,
    ServiceDatabase database, Playbooks.Messaging.Outbox.Outbox outbox, ExpressionEvaluator evaluator, WorkLease lease, TimeProvider clock,
    ILogger<AccountEventProcessor> logger) : BackgroundService
{
    private const int BatchSize = 200;

    // Accounts handled side by side, a lane each (AccountEventProcessor.Lanes.cs); a claim takes at most one account per
    // free lane, and the other replicas take the next accounts. Each event waits on commits, so lanes are what keeps up
    // with a burst: at 200 events/s two replicas of 8 fell behind, of 16 kept up (distributed benchmark). A lane holds up
    // to two pooled connections (a resume: its instance lock's and one for the work); InstanceLocks keeps lock holders
    // to half the pool, so a pool smaller than the lanes' needs makes them take turns rather than wait on each other.
    private const int Lanes = 16;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await index.RefreshAsync(stoppingToken);
        var inLanes = database.Provider == DatabaseProvider.Postgres;
        var marking = inLanes ? MarkHandledAsync(stoppingToken) : Task.CompletedTask;
        var renewing = inLanes ? RenewWorkingClaims() : null;
        if (inLanes)
        {
            _lanesStopping = stoppingToken;
            log.ClaimOnArrivalFor(this);
        }
        var refreshed = Environment.TickCount64;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    // Another replica may have published: re-read the trigger index now and then (this process refreshes at once).
                    if (Environment.TickCount64 - refreshed > 10_000)
                    {
                        await index.RefreshAsync(stoppingToken);
                        refreshed = Environment.TickCount64;
                    }
                    var claimed = inLanes ? await ClaimIntoLanesAsync(stoppingToken) : await ProcessNextInOrderAsync(stoppingToken);
                    if (!claimed) await log.Arrived.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception error)
                {
                    LogProcessingFailed(logger, error);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
        finally
        {
            if (inLanes) await StopLanesAsync(marking);
            if (renewing is not null) await renewing.DisposeAsync();
        }
    }

    /// <summary>SQLite serialises writers anyway: the next batch, one event after another.</summary>
    private async Task<bool> ProcessNextInOrderAsync(CancellationToken cancellationToken)
    {
        var (batch, _) = await log.UnprocessedAsync(BatchSize, Lanes, lease.Until(), cancellationToken);
        await ProcessInOrderAsync(batch, cancellationToken);
        return batch.Count > 0;
    }

    /// <summary>
    /// One event after another. The events handled are marked processed together at the end, in one commit instead of
    /// one each; a crash before it repeats them, which every step tolerates, and until then their claim keeps the
    /// accounts' later events waiting, so order holds.
    /// </summary>
    private async Task ProcessInOrderAsync(IReadOnlyList<AccountEventLog.Stored> batch, CancellationToken cancellationToken)
    {
        var handled = new List<AccountEventLog.Stored>();
        using var working = WorkingOn(batch);
        try
        {
            foreach (var stored in batch)
            {
                await ProcessAsync(stored, cancellationToken);
                handled.Add(stored);
            }
        }
        catch (Exception)
        {
            // The rest is tried again after the pause, here or on another replica, instead of once the claim lapses; so
            // too when the replica stops (a rolling deploy), as the lanes give back theirs.
            await log.ReleaseAsync([.. batch.Skip(handled.Count)], CancellationToken.None);
            throw;
        }
        finally
        {
            // Also after a failure or as the replica stops: what was handled stays handled, and only the rest is tried again.
            if (handled.Count > 0) await MarkProcessedAsync(handled, CancellationToken.None);
        }
    }

    private async Task ProcessAsync(AccountEventLog.Stored stored, CancellationToken cancellationToken, ContextToRead? read = null)
    {
        System.Diagnostics.ActivityContext.TryParse(stored.TraceParent, null, out var parent);
        using var span = PlaybooksTelemetry.ActivitySource.StartActivity($"process {stored.Type}", ActivityKind.Consumer, parent);
        span?.SetTag(PlaybooksTelemetry.ServiceTag, EngineService.Name);
        span?.SetTag("playbooks.event", stored.Id);
        span?.SetTag("messaging.message.type", stored.Type);
        if (stored.AccountId is not null) span?.SetTag("playbooks.account", stored.AccountId);
        var data = JsonNode.Parse(stored.Data);
        var occurredAt = EngineJson.At(stored.OccurredAt);
        if (stored.Type == AccountChanges.EventType)
        {
            // One stored from outside before the events API refused the type can never be read: retried, it held its
            // account's later events back for ever.
            if (ChangeIn(data) is { } change) await OnAccountChangedAsync(stored, change, cancellationToken);
            else LogUnreadableChange(logger, stored.Id);
        }
        else
            foreach (var accountId in AccountsOf(stored, data))
                await OnAccountEventAsync(stored, accountId, data, occurredAt, cancellationToken, read?.EventId == stored.Id && read.AccountId == accountId ? read : null);
    }

    /// <summary>
    /// Republishes the events for the other services (metrics folds account changes into renewal coverage and segments
    /// too) and marks them processed. True if one of their accounts has an event waiting that nobody holds (PostgreSQL):
    /// it can be claimed now. Most marks free an account with nothing waiting, and a claim for each was an empty round
    /// trip under the claim lock.
    /// </summary>
    private async Task<bool> MarkProcessedAsync(IReadOnlyList<AccountEventLog.Stored> handled, CancellationToken cancellationToken)
    {
        var republished = handled.Select(stored =>
            new EventEnvelope(stored.Id, stored.Type, EventTypes.AccountEventSource, EngineJson.At(stored.OccurredAt), stored.AccountId,
                JsonDocument.Parse(stored.Data).RootElement, stored.TraceParent)).ToList();
        var now = EngineJson.Millis(clock.GetUtcNow());
        var seqs = handled.Select(stored => stored.Seq).ToArray();
        await using var connection = await database.OpenAsync(cancellationToken);
        var waiting = false;
        if (connection is Npgsql.NpgsqlConnection postgres)
            waiting = await MarkInOneStatementAsync(postgres, republished, seqs, now, cancellationToken);
        else
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await Playbooks.Messaging.Outbox.Outbox.AddAsync(connection, transaction, republished);
            await connection.ExecuteAsync("UPDATE account_events SET processed_at = @now WHERE seq IN @seqs", new { now, seqs }, transaction);
            await transaction.CommitAsync(cancellationToken);
        }
        outbox.Committed(republished);
        return waiting;
    }

    /// <summary>
    /// PostgreSQL: the republished events' outbox rows, the mark and the look for a waiting event in one statement,
    /// committed on its own: one round trip instead of three (the insert with BEGIN, the mark, COMMIT). The look reads
    /// the table as it was before the mark, so it looks only past each account's last marked event, rather than from the
    /// oldest unprocessed event of every account (at 20 events/s 24 pages a call instead of 75). An earlier one can
    /// still be waiting (events stored without a lane are numbered before they commit, so one may commit after a later
    /// one was claimed); the look is only a hint to claim at once, and the claiming loop takes such an event within a
    /// second. It keeps its generic plan
    /// (<see cref="GenericPlans"/>): planning it afresh each time cost more than running it. It commits without waiting
    /// for the disk.
    /// </summary>
    private static async Task<bool> MarkInOneStatementAsync(Npgsql.NpgsqlConnection connection, List<EventEnvelope> republished, long[] seqs, long now,
        CancellationToken cancellationToken)
    {
        var command = new Npgsql.NpgsqlBatchCommand(
            $"""
            WITH republished AS ({Playbooks.Messaging.Outbox.Outbox.InsertFromArrays} ON CONFLICT (id) DO NOTHING),
            marked AS (UPDATE account_events SET processed_at = $8 WHERE seq = ANY($9) RETURNING account_id, seq)
            SELECT EXISTS (SELECT 1 FROM (SELECT account_id, MAX(seq) AS seq FROM marked GROUP BY account_id) account,
                LATERAL (SELECT 1 FROM account_events later WHERE later.account_id = account.account_id AND later.seq > account.seq
                         AND later.processed_at IS NULL AND (later.claimed_until IS NULL OR later.claimed_until < $10) LIMIT 1) waiting)
            """);
        command.Parameters.AddRange(Playbooks.Messaging.Outbox.Outbox.AsArrays(republished));
        command.Parameters.Add(new Npgsql.NpgsqlParameter<long> { TypedValue = now });
        command.Parameters.Add(SqlLists.Array(seqs));
        command.Parameters.Add(new Npgsql.NpgsqlParameter<long> { TypedValue = WorkLease.WallNow() });
        // Not worth an fsync of its own: a mark lost in a crash has its event handled again, which every step tolerates,
        // and the account's next event cannot be lost ahead of it: whatever commits after seeing the mark (its claim,
        // its run) comes later in the WAL, and flushing it flushes the mark.
        await using var batch = new Npgsql.NpgsqlBatch(connection) { BatchCommands = { new("SET LOCAL synchronous_commit = off"), command } };
        await using var reader = await batch.InTransaction().ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetBoolean(0);
    }

    /// <param name="read">The event's context if it was read as the event was stored: used if the trigger index is still the one it was read for.</param>
    private async Task OnAccountEventAsync(AccountEventLog.Stored stored, string accountId, JsonNode? data, DateTimeOffset occurredAt, CancellationToken cancellationToken,
        ContextToRead? read = null)
    {
        var snapshot = index.Current;
        var triggered = snapshot.ByEventType.GetValueOrDefault(stored.Type, []);
        var exits = snapshot.ExitsByEventType.GetValueOrDefault(stored.Type, []);
        var key = Bookmark.EventKey(stored.Type, accountId);
        var context = read is { Context: { } ready } && ReferenceEquals(read.Snapshot, snapshot) ? ready
            : await AccountEventContext.ReadAsync(database, accountId, key, [.. triggered.Select(t => t.Playbook.DefinitionId)], clock.GetUtcNow(), cancellationToken);
        var account = context.Account;
        if (account is null) { LogUnknownAccount(logger, stored.Id, accountId); return; }
        var payload = new JsonObject
        {
            ["id"] = stored.Id, ["type"] = stored.Type, ["accountId"] = accountId, ["occurredAt"] = occurredAt.ToString("O"), ["data"] = data?.DeepClone(),
        };

        if (stored.Type == "health.changed" && data?["healthScore"] is JsonValue score && score.TryGetValue<double>(out var health))
            account = await accounts.ChangeAsync(account with { HealthScore = (int)health }, $"{stored.Id}:health", cancellationToken);

        foreach (var playbook in exits)
            await ExitRunsAsync(playbook, account, payload, cancellationToken);

        var resumed = await runtime.DeliverAsync(new Stimulus(Stimulus.AccountEvent, key, payload, occurredAt), $"{stored.Id}:{accountId}", context.Waiting, cancellationToken);

        await goals.OnEventAsync(snapshot.Published, stored.Type, accountId, occurredAt, cancellationToken);

        // A run this event ended or moved on may have changed the account's standing (its running count, a snooze after
        // the run): then each trigger reads it afresh.
        var standings = exits.Count == 0 && resumed == 0 ? context.Standings : null;
        foreach (var entry in triggered)
            await starter.FireAsync(entry, account, payload, $"event:{stored.Id}", standings?.GetValueOrDefault(entry.Playbook.DefinitionId), cancellationToken);
    }

    private async Task ExitRunsAsync(CompiledPlaybook playbook, AccountSnapshot account, JsonObject payload, CancellationToken cancellationToken)
    {
        var type = payload["type"]!.GetValue<string>();
        foreach (var exit in playbook.Definition.Enrolment!.ExitOn.Where(x => x.EventType == type))
        {
            if (exit.Condition is { Length: > 0 } condition)
            {
                var accountJson = JsonSerializer.SerializeToNode(account, JsonSerializerOptions.Web);
                try
                {
                    if (!evaluator.IsTrue(playbook.Expression(condition), new ExpressionScope(accountJson, payload, null, null, clock.GetUtcNow()))) continue;
                }
                catch (ExpressionException) { continue; }
            }
            IReadOnlyList<string> running;
            await using (var connection = await database.OpenAsync(cancellationToken))
                running = await InstanceStore.RunningForAccountAsync(connection, account.Id, playbook.DefinitionId);
            foreach (var instanceId in running)
                await runtime.EndAsync(instanceId, InstanceStatus.Exited, $"Exit condition: {type}", cancellationToken);
        }
    }

    private async Task OnAccountChangedAsync(AccountEventLog.Stored stored, AccountChanges.Change change, CancellationToken cancellationToken)
    {
        var snapshot = index.Current;
        foreach (var (field, entries) in snapshot.ThresholdsByField)
        {
            var before = Number(AccountChanges.Field(change.Before, field));
            var after = Number(AccountChanges.Field(change.After, field));
            if (after is null) continue;
            foreach (var entry in entries)
            {
                var line = entry.Trigger.Value!.Value;
                var crossed = entry.Trigger.Direction == "below"
                    ? after < line && (before is null || before >= line)
                    : after > line && (before is null || before <= line);
                if (crossed)
                    await starter.FireAsync(entry, change.After, ThresholdPayload(stored, field, before, after.Value), $"threshold:{stored.Id}:{entry.Index}", cancellationToken);
            }
        }
        await dates.ReplanAsync(change.After, cancellationToken);
    }

    private static JsonObject ThresholdPayload(AccountEventLog.Stored stored, string field, double? before, double after) => new()
    {
        ["id"] = stored.Id, ["type"] = "threshold.crossed", ["accountId"] = stored.AccountId,
        ["data"] = new JsonObject { ["field"] = field, ["before"] = before, ["after"] = after },
    };

    private static AccountChanges.Change? ChangeIn(JsonNode? data)
    {
        try { return data?.Deserialize<AccountChanges.Change>(EngineJson.Options) is { After: not null } change ? change : null; }
        catch (JsonException) { return null; }
    }

    private static double? Number(JsonElement? value) => value is { ValueKind: JsonValueKind.Number } number ? number.GetDouble() : null;

    private static IEnumerable<string> AccountsOf(AccountEventLog.Stored stored, JsonNode? data)
    {
        if (stored.AccountId is { Length: > 0 } accountId) return [accountId];
        return data?["accountIds"] is JsonArray ids ? ids.Select(id => id?.ToString()).OfType<string>().Distinct() : [];
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Processing account events failed; retrying")]
    private static partial void LogProcessingFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Event {EventId} names unknown account {AccountId}; skipped")]
    private static partial void LogUnknownAccount(ILogger logger, string eventId, string accountId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Event {EventId} is typed as the engine's own account change but is not one; skipped")]
    private static partial void LogUnreadableChange(ILogger logger, string eventId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Renewing the claims on the account events being handled failed; trying again shortly")]
    private static partial void LogRenewalFailed(ILogger logger, Exception error);
}
