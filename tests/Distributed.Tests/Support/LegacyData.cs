using Playbooks.TestSupport.Distributed;
using System.Text.Json;
using System.Text.Json.Nodes;
using Playbooks.Engine.Accounts;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Storage;
using Playbooks.Engine.Triggers;
using Playbooks.Messaging.Contracts;
using Playbooks.Storage;

namespace Playbooks.Distributed.Tests.Support;

/// <summary>
/// Data written by the previous schema version: the engine's migrations up to N-1 only, then a published playbook, an
/// account and an account event that triggers it, written with the engine's own stores as that version would. Starting
/// the services afterwards applies migration N on top; the event must still be processed and its run must finish
/// (its Delay fires through the new timer claims), and a goal the run reached must still count once.
/// </summary>
public sealed record LegacyData(int PreviousVersion, string DefinitionId, string AccountId, string EventId, string GoalRun, DateTimeOffset GoalReachedAt)
{
    public static async Task<LegacyData> WriteAtPreviousVersionAsync(string connectionString)
    {
        var database = ServiceDatabase.Postgres(connectionString, "engine");
        var newest = EngineMigrations.All.Max(m => m.Version);
        var previous = EngineMigrations.All.Where(m => m.Version < newest).ToList();
        await MigrationRunner.ApplyAsync(database, previous, CancellationToken.None);

        var clock = TimeProvider.System;
        var definitionId = "legacy-kickoff";
        var definition = JsonSerializer.Deserialize<PlaybookDefinition>(new JsonObject
        {
            ["definitionId"] = definitionId,
            ["name"] = "Written before the upgrade",
            ["triggers"] = new JsonArray(new JsonObject { ["kind"] = "event", ["eventType"] = "legacy.signed" }),
            ["activities"] = new JsonArray(
                new JsonObject { ["id"] = "start", ["type"] = "Start", ["inputs"] = new JsonObject() },
                new JsonObject { ["id"] = "pause", ["type"] = "Delay", ["inputs"] = new JsonObject { ["duration"] = "PT1S" } },
                new JsonObject { ["id"] = "end", ["type"] = "End", ["inputs"] = new JsonObject() }),
            ["connections"] = new JsonArray(
                new JsonObject { ["from"] = "start", ["outcome"] = "Done", ["to"] = "pause" },
                new JsonObject { ["from"] = "pause", ["outcome"] = "Done", ["to"] = "end" }),
        }.ToJsonString(), EngineJson.Options)!;
        var definitions = new DefinitionStore(database, clock);
        await definitions.CreateAsync(definition, CancellationToken.None);
        await definitions.PublishAsync(definition, "before the upgrade", CancellationToken.None);

        var log = new AccountEventLog(database, clock);
        var accounts = new AccountStore(database, log, clock);
        var accountId = "legacy-account";
        var account = JsonSerializer.Deserialize<AccountSnapshot>(DistributedCluster.Account(accountId).ToJsonString(), JsonSerializerOptions.Web)!;
        await accounts.UpsertAsync([account], "legacy-import", CancellationToken.None);
        var eventId = "legacy-event-1";
        await log.AppendAsync([new AccountEvent { Id = eventId, Type = "legacy.signed", AccountId = accountId, Data = JsonDocument.Parse("{}").RootElement }], CancellationToken.None);

        // A run that had reached its goal, which that version remembered in the inbox.
        var goalRun = "legacy-goal-run";
        var goalReachedAt = new DateTimeOffset(2026, 11, 2, 9, 30, 15, 123, TimeSpan.Zero);
        await using (var connection = await database.OpenAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await Playbooks.Messaging.Inbox.Inbox.TryAcceptAsync(connection, transaction, $"goal:{goalRun}", goalReachedAt);
            await transaction.CommitAsync();
        }
        return new LegacyData(previous.Max(m => m.Version), definitionId, accountId, eventId, goalRun, goalReachedAt);
    }
}
