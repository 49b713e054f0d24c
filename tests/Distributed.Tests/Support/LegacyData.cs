using Dapper;
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
/// (its Delay fires through the new timer claims), and a goal the run reached must still count once. The tasks and
/// notifications services' schemas are left at their previous versions too, with a task and a template in them.
/// </summary>
public sealed record LegacyData(int PreviousVersion, string DefinitionId, string AccountId, string EventId, string GoalRun, DateTimeOffset GoalReachedAt,
    string TaskId, string TemplateId)
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

        var (taskId, templateId) = (await WriteTaskAsync(connectionString), await WriteTemplateAsync(connectionString));
        return new LegacyData(previous.Max(m => m.Version), definitionId, accountId, eventId, goalRun, goalReachedAt, taskId, templateId);
    }

    /// <summary>The given service's migrations up to its previous version only.</summary>
    private static async Task<ServiceDatabase> AtPreviousVersionAsync(string connectionString, string service, IReadOnlyList<Migration> migrations)
    {
        var database = ServiceDatabase.Postgres(connectionString, service);
        var newest = migrations.Max(m => m.Version);
        await MigrationRunner.ApplyAsync(database, [.. migrations.Where(m => m.Version < newest)], CancellationToken.None);
        return database;
    }

    /// <summary>An open task, with the inbox entry of the request that made it, as the tasks service's previous version stored them.</summary>
    private static async Task<string> WriteTaskAsync(string connectionString)
    {
        var database = await AtPreviousVersionAsync(connectionString, "tasks", Playbooks.Tasks.Storage.TasksMigrations.All);
        var taskId = "legacy-task-1";
        var at = DateTimeOffset.UtcNow.AddDays(-3);
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO tasks (id, instance_id, activity_id, definition_id, definition_version, playbook_name, account_id, account_name, title,
                assignee, priority, priority_rank, outcomes, status, created_at, updated_at)
            VALUES (@taskId, 'legacy-run', 'call', 'legacy-kickoff', 1, 'Written before the upgrade', 'legacy-account', 'Account legacy-account',
                'Call the champion', 'aiko@playbooks.example', 'high', 1, '["Done"]', 'open', @ms, @ms);
            INSERT INTO inbox (event_id, received_at) VALUES ('legacy-request-1', @receivedAt);
            """, new { taskId, ms = at.ToUnixTimeMilliseconds(), receivedAt = at.ToString("O") });
        return taskId;
    }

    /// <summary>A team's own chat template, as the notifications service's previous version stored it.</summary>
    private static async Task<string> WriteTemplateAsync(string connectionString)
    {
        var database = await AtPreviousVersionAsync(connectionString, "notifications", Playbooks.Notifications.Storage.NotificationsMigrations.All);
        var templateId = "legacy-renewal-nudge";
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO templates (id, name, channel, text_body, version, updated_at)
            VALUES (@templateId, 'Renewal nudge', 'chat', 'Renewal for {{account.name}} is near', 1, @ms)
            """, new { templateId, ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        return templateId;
    }
}
