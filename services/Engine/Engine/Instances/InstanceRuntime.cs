using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Logging;
using Playbooks.Engine.Accounts;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Storage;
using Playbooks.Messaging;
using Playbooks.Messaging.Outbox;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Instances;

/// <summary>
/// Starts, resumes, retries and ends instances: loads the row, runs the executor, and commits the new state with its
/// bookmarks, journal, account changes and outgoing events in one transaction (the outbox), so a crash anywhere
/// either loses the whole step (and it is redone) or keeps all of it — never a task without its state, or twice.
/// </summary>
public sealed partial class InstanceRuntime(
    InstanceStore store, PlaybookVersions playbooks, PlaybookExecutor executor, Outbox outbox, InstanceLocks locks, StartCommits startCommits,
    Triggers.AccountEventLog accountEvents, TimerAlarm timers, TimeProvider clock, ILogger<InstanceRuntime> logger)
{
    private const int MaxConflictRetries = 5;

    /// <summary>Starts a run; null when <paramref name="instanceId"/> was started before (a redelivered trigger).</summary>
    public async Task<InstanceState?> StartAsync(CompiledPlaybook playbook, AccountSnapshot account, JsonNode? trigger, JsonObject? variables,
        string? instanceId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var instance = new InstanceState
        {
            Id = instanceId ?? Guid.CreateVersion7().ToString("N"),
            DefinitionId = playbook.DefinitionId,
            Version = playbook.Version,
            AccountId = account.Id,
            CreatedAt = now,
            UpdatedAt = now,
            Variables = variables ?? [],
        };
        using var span = ExecutionTelemetry.StartRun("playbook start", instance, playbook);
        var run = new RunContext(account, trigger, now, simulating: false);
        var effects = await executor.StartAsync(playbook, instance, run);
        if (startCommits.Takes(instance, effects))
        {
            instance.UpdatedAt = run.Now;
            instance.Revision = 1;
            var start = new StartToCommit(instance, EngineJson.Serialize(instance), effects.Journal, Envelopes(instance, effects, run),
                playbook.Definition.Enrolment?.MaxActivePerAccount ?? 1);
            switch (await startCommits.CommitAsync(start))
            {
                case StartCommitted.Saved:
                    Committed(playbook, instance, effects, start.Events);
                    return instance;
                case StartCommitted.Refused:
                    return null;
            }
        }
        var (saved, pending) = await CommitAsync(playbook, instance, null, effects, run, null, cancellationToken);
        if (!saved) return null;
        await DeliverPendingAsync(pending, cancellationToken);
        return instance;
    }

    /// <summary>
    /// Hands a stimulus to every bookmark waiting on its key. A task outcome that finds none yet is kept for its bookmark,
    /// and so is one its bookmark could not take: the run is faulted (a retry waits again), or the wait was armed afresh
    /// since the look (a loop back to the same WaitForTask). Dropped instead, they left the run waiting for ever.
    /// </summary>
    public async Task<int> DeliverAsync(Stimulus stimulus, string? dedupeId, CancellationToken cancellationToken)
    {
        IReadOnlyList<(string InstanceId, string BookmarkId)> waiting;
        await using (var connection = await store.Database.OpenAsync(cancellationToken))
        {
            waiting = await InstanceStore.WaitingOnAsync(connection, null, stimulus.Key);
            if (waiting.Count == 0 && IsAboutOneTask(stimulus))
                waiting = await KeepForLaterAsync(connection, stimulus, dedupeId, evenIfWaited: false, cancellationToken);
        }
        var resumed = await DeliverAsync(stimulus, dedupeId, waiting, cancellationToken);
        if (resumed == 0 && waiting.Count > 0 && IsAboutOneTask(stimulus))
        {
            await using var connection = await store.Database.OpenAsync(cancellationToken);
            await KeepForLaterAsync(connection, stimulus, dedupeId, evenIfWaited: true, cancellationToken);
        }
        return resumed;
    }

    /// <summary>Hands an account event to the bookmarks already found waiting on it (read with the account, in one round trip).</summary>
    public async Task<int> DeliverAsync(Stimulus stimulus, string? dedupeId, IReadOnlyList<(string InstanceId, string BookmarkId)> waiting, CancellationToken cancellationToken)
    {
        var resumed = 0;
        foreach (var (instanceId, bookmarkId) in waiting)
            if (await ResumeAsync(instanceId, bookmarkId, stimulus, dedupeId, cancellationToken)) resumed++;
        return resumed;
    }

    /// <summary>
    /// No bookmark waits on this task yet: keep the outcome for the WaitForTask that will (<see cref="CommitAsync"/> hands
    /// it over). Checked again inside a write transaction, so a bookmark committed since the first look is found instead of
    /// the outcome being parked for good; and an outcome already applied (a redelivery) is dropped instead of being kept
    /// for a later wait on the same task. On SQLite the transaction serialises this with every commit; on PostgreSQL a
    /// transaction lock on the key, taken here and where commits pick pending outcomes up, does.
    /// </summary>
    /// <param name="evenIfWaited">Kept even though a bookmark waits on the key (it could not take the outcome).</param>
    private async Task<IReadOnlyList<(string InstanceId, string BookmarkId)>> KeepForLaterAsync(
        DbConnection connection, Stimulus stimulus, string? dedupeId, bool evenIfWaited, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockKeyAsync(connection, transaction, stimulus.Key);
        var waiting = await InstanceStore.WaitingOnAsync(connection, transaction, stimulus.Key);
        if (waiting.Count > 0 && !evenIfWaited) return waiting;
        if (dedupeId is not null
            && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM inbox WHERE event_id = @dedupeId", new { dedupeId }, transaction) > 0)
            return [];
        // A run that has ended never waits again (the CSM closed the task after the run exited or was cancelled).
        if (!await ParkedOutcomes.MayStillWaitAsync(connection, transaction, stimulus.Key))
        {
            LogOutcomeAfterRunEnded(logger, stimulus.Kind, ParkedOutcomes.RunOf(stimulus.Key));
            return [];
        }
        await connection.ExecuteAsync(
            "INSERT INTO pending_stimuli (id, key, kind, payload, at) VALUES (@id, @Key, @Kind, @payload, @at) ON CONFLICT (id) DO NOTHING",
            new { id = dedupeId ?? Guid.NewGuid().ToString("N"), stimulus.Key, stimulus.Kind, payload = stimulus.Payload?.ToJsonString(), at = EngineJson.Millis(stimulus.At) },
            transaction);
        await transaction.CommitAsync(cancellationToken);
        return [];
    }

    // A task's outcome concerns the one run that asked for the task, so its event id alone marks it handled; an account
    // event may resume several runs, each recorded under its own id.
    private static bool IsAboutOneTask(Stimulus stimulus) => stimulus.Kind is Stimulus.TaskCompleted or Stimulus.TaskOverdue;

    private static string? InboxId(Stimulus stimulus, string? dedupeId, string instanceId) =>
        dedupeId is null ? null : IsAboutOneTask(stimulus) ? dedupeId : $"{dedupeId}:{instanceId}";

    public async Task<bool> ResumeAsync(string instanceId, string bookmarkId, Stimulus stimulus, string? dedupeId, CancellationToken cancellationToken)
    {
        IReadOnlyList<PendingStimulus> pending = [];
        var resumed = false;
        await using (await locks.AcquireAsync(instanceId, cancellationToken))
        {
            for (var attempt = 0; attempt < MaxConflictRetries && !resumed; attempt++)
            {
                var (instance, playbook, account) = await LoadAsync(instanceId, cancellationToken);
                var bookmark = instance?.Bookmarks.FirstOrDefault(b => b.Id == bookmarkId);
                if (instance is null || playbook is null || account is null || bookmark is null || instance.Status != InstanceStatus.Running) return false;
                using var span = ExecutionTelemetry.StartRun("playbook resume", instance, playbook);
                span?.SetTag("playbooks.stimulus", stimulus.Kind);
                var expected = instance.Revision;
                var run = new RunContext(account, null, clock.GetUtcNow(), simulating: false);
                var effects = await executor.ResumeAsync(playbook, instance, run, bookmark, stimulus);
                (resumed, pending) = await CommitAsync(playbook, instance, expected, effects, run, InboxId(stimulus, dedupeId, instanceId), cancellationToken,
                    dropsKept: IsAboutOneTask(stimulus));
                if (!resumed) LogConflict(logger, instanceId, attempt + 1);
            }
        }
        await DeliverPendingAsync(pending, cancellationToken);
        return resumed;
    }

    public Task<InstanceState?> RetryAsync(string instanceId, CancellationToken cancellationToken) =>
        ChangeAsync(instanceId, InstanceStatus.Faulted, (playbook, instance, run) => executor.RetryAsync(playbook, instance, run), cancellationToken);

    public Task<InstanceState?> EndAsync(string instanceId, InstanceStatus status, string reason, CancellationToken cancellationToken) =>
        ChangeAsync(instanceId, null, (playbook, instance, run) => Task.FromResult(executor.End(playbook, instance, run, status, reason)), cancellationToken);

    private async Task<InstanceState?> ChangeAsync(string instanceId, InstanceStatus? requiredStatus,
        Func<CompiledPlaybook, InstanceState, RunContext, Task<RunEffects>> change, CancellationToken cancellationToken)
    {
        IReadOnlyList<PendingStimulus> pending = [];
        InstanceState? result = null;
        await using (await locks.AcquireAsync(instanceId, cancellationToken))
        {
            for (var attempt = 0; attempt < MaxConflictRetries && result is null; attempt++)
            {
                var (instance, playbook, account) = await LoadAsync(instanceId, cancellationToken);
                if (instance is null || playbook is null || account is null) return null;
                if (requiredStatus is { } required && instance.Status != required) return instance;
                var expected = instance.Revision;
                var run = new RunContext(account, null, clock.GetUtcNow(), simulating: false);
                var effects = await change(playbook, instance, run);
                bool saved;
                (saved, pending) = await CommitAsync(playbook, instance, expected, effects, run, null, cancellationToken);
                if (saved) result = instance;
            }
        }
        await DeliverPendingAsync(pending, cancellationToken);
        return result;
    }

    private async Task<(InstanceState?, CompiledPlaybook?, AccountSnapshot?)> LoadAsync(string instanceId, CancellationToken cancellationToken)
    {
        InstanceState? instance;
        AccountSnapshot? account;
        await using (var connection = await store.Database.OpenAsync(cancellationToken))
        {
            instance = await InstanceStore.LoadAsync(connection, null, instanceId);
            if (instance is null) return (null, null, null);
            account = await AccountStore.GetAsync(connection, null, instance.AccountId);
        }
        // With the connection back: a version not cached yet opens one of its own, and the caller holds the instance's
        // lock on another (InstanceLocks counts on two at most).
        var playbook = await playbooks.GetAsync(instance.DefinitionId, instance.Version, cancellationToken);
        return (instance, playbook, account);
    }

    /// <param name="dropsKept">
    /// The commit applies a task outcome: the copy kept of it (under its inbox id) goes in the same commit. Kept outcomes
    /// are read, not taken, by the commit that starts waiting on them, and applied after it in commits of their own: taken
    /// there, a crash, a stop or a failure before those lost them.
    /// </param>
    private async Task<(bool Saved, IReadOnlyList<PendingStimulus> Pending)> CommitAsync(CompiledPlaybook playbook, InstanceState instance, int? expectedRevision, RunEffects effects,
        RunContext run, string? inboxId, CancellationToken cancellationToken, bool dropsKept = false)
    {
        instance.UpdatedAt = run.Now;
        await using var connection = await store.Database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var dropping = dropsKept && inboxId is not null;
        if (inboxId is not null && !await Playbooks.Messaging.Inbox.Inbox.TryAcceptAsync(connection, transaction, inboxId, run.Now))
        {
            // Applied already: a copy still kept of it goes.
            if (dropping && await DropKeptAsync(connection, transaction, inboxId) > 0) await transaction.CommitAsync(cancellationToken);
            return (true, []);
        }
        if (dropping) await DropKeptAsync(connection, transaction, inboxId!);
        if (expectedRevision is null && !await MayStartAsync(connection, transaction, playbook, instance)) return (false, []);
        if (!await InstanceStore.SaveAsync(connection, transaction, instance, expectedRevision, effects.Journal)) return (false, []);
        if (effects.AccountChanges.Count > 0)
        {
            await AccountStore.ApplyChangesAsync(connection, transaction, run.Account.Id, effects.AccountChanges, run.Now,
                lockRow: store.Database.Provider == Playbooks.Storage.DatabaseProvider.Postgres);
            // Threshold and date triggers see changes a playbook makes, as they see changes from the API.
            await Triggers.AccountChanges.RecordAsync(connection, transaction, $"{instance.Id}:{instance.Revision}", run.OriginalAccount, run.Account, run.Now);
        }
        // The playbook snoozes itself for the account after a run so it does not fire again at once (adoption nudges).
        if (instance.IsFinished && instance.EndedAt == run.Now && playbook.Definition.Enrolment?.SnoozeDaysAfterRun is { } snoozeDays)
            await Triggers.Enrolment.SnoozeAsync(connection, transaction, playbook.DefinitionId, instance.AccountId, run.Now.AddDays(snoozeDays), $"Ran until {run.Now:yyyy-MM-dd}");
        var events = Envelopes(instance, effects, run);
        await Outbox.AddAsync(connection, transaction, events);

        var pending = new List<PendingStimulus>();
        foreach (var key in instance.Bookmarks.Where(b => b.Kind == Bookmark.Task).Select(b => b.Key).Distinct().Order(StringComparer.Ordinal))
        {
            await LockKeyAsync(connection, transaction, key);
            var rows = await connection.QueryAsync<(string Id, string Kind, string? Payload, long At)>(
                "SELECT id, kind, payload, at FROM pending_stimuli WHERE key = @key ORDER BY at, id", new { key }, transaction);
            pending.AddRange(rows.Select(r => new PendingStimulus(new Stimulus(r.Kind, key, r.Payload is null ? null : JsonNode.Parse(r.Payload), EngineJson.At(r.At)), r.Id)));
        }
        await transaction.CommitAsync(cancellationToken);
        Committed(playbook, instance, effects, events);
        return (true, pending);
    }

    private static List<EventEnvelope> Envelopes(InstanceState instance, RunEffects effects, RunContext run) =>
        effects.Events.Select(e => EventEnvelopeFactory.Create(e.Type, "engine", instance.AccountId, e.Data, run.Now, traceParent: e.TraceParent)).ToList();

    // What follows a commit: the relay gets the events, the timer worker and the trigger processor are told, the meters count.
    private void Committed(CompiledPlaybook playbook, InstanceState instance, RunEffects effects, IReadOnlyList<EventEnvelope> events)
    {
        outbox.Committed(events);
        ExecutionTelemetry.CountCommitted(playbook.DefinitionId, effects.Events);
        if (effects.AccountChanges.Count > 0) accountEvents.Arrived.Raise();
        // Measured from now, after the commit: a slow commit has used up part of a short timer's wait.
        timers.TimersCommitted(instance.Bookmarks.Select(b => b.DueAt), clock.GetUtcNow());
    }

    private static Task<int> DropKeptAsync(DbConnection connection, DbTransaction transaction, string id) =>
        connection.ExecuteAsync("DELETE FROM pending_stimuli WHERE id = @id", new { id }, transaction);

    // Serialises parking an early task outcome with the commit that starts waiting on it (PostgreSQL; see KeepForLaterAsync).
    private Task LockKeyAsync(DbConnection connection, DbTransaction transaction, string key) =>
        store.Database.Provider == Playbooks.Storage.DatabaseProvider.Postgres
            ? connection.ExecuteAsync("SELECT pg_advisory_xact_lock(2, hashtext(@key))", new { key }, transaction)
            : Task.CompletedTask;

    /// <summary>
    /// A new instance starts only if its id is new (a redelivered trigger) and the account is under the playbook's cap of
    /// running instances, checked inside the start's transaction so two triggers firing together cannot both pass
    /// (SQLite transactions here take the write lock at BEGIN; PostgreSQL takes an advisory lock per account and playbook).
    /// </summary>
    private async Task<bool> MayStartAsync(DbConnection connection, DbTransaction transaction, CompiledPlaybook playbook, InstanceState instance)
    {
        if (store.Database.Provider == Playbooks.Storage.DatabaseProvider.Postgres)
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@key))", new { key = $"{instance.AccountId}|{playbook.DefinitionId}" }, transaction);
        var exists = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM instances WHERE id = @Id", new { instance.Id }, transaction);
        if (exists > 0) return false;
        var running = await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM instances WHERE account_id = @AccountId AND definition_id = @DefinitionId AND status = 'running'",
            new { instance.AccountId, instance.DefinitionId }, transaction);
        return running < (playbook.Definition.Enrolment?.MaxActivePerAccount ?? 1);
    }

    // A kept outcome is delivered under the id it was kept with (its event's), so a redelivery after it is dropped.
    private async Task DeliverPendingAsync(IReadOnlyList<PendingStimulus> pending, CancellationToken cancellationToken)
    {
        foreach (var (stimulus, id) in pending) await DeliverAsync(stimulus, id, cancellationToken);
    }

    private sealed record PendingStimulus(Stimulus Stimulus, string Id);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "A {Kind} outcome for run {InstanceId}, which has ended, was not kept")]
    private static partial void LogOutcomeAfterRunEnded(ILogger logger, string kind, string instanceId);

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Instance {InstanceId} changed underneath (attempt {Attempt}); retrying")]
    private static partial void LogConflict(ILogger logger, string instanceId, int attempt);
}
