using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Distributed.Tests.Support;
using Playbooks.Engine.Triggers;
using Playbooks.Storage;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// On PostgreSQL an event taken as it is stored is handled from the context read in the same round trip (the account,
/// the runs waiting on it, the account's standing with the playbooks it triggers): what it decides must be what a
/// fresh read would have decided.
/// </summary>
public sealed class EventContextTests : IAsyncLifetime
{
    private ScratchDatabase _postgres = null!;
    private ScratchRedis _redis = null!;
    private InProcessEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _postgres = await ScratchDatabase.StartAsync("engine", []);
        _redis = await ScratchRedis.StartAsync("event-context");
        _engine = await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, Path.Combine(Path.GetTempPath(), "playbooks-event-context"));
    }

    [Fact]
    public async Task An_event_stored_and_taken_at_once_resumes_its_waiting_runs_and_keeps_caps_and_snoozes()
    {
        var account = (await _engine.AccountsAsync("context", 1))[0];
        var signature = await _engine.PublishAsync(Playbook("await-signature", trigger: null, WaitFor("contract.signed")));
        // Runs of these stay running (waiting for an event that never comes), so the first counts against the cap.
        await _engine.PublishAsync(Playbook("usage-drop", trigger: "usage.dropped", Task(), WaitFor("never.happens")));
        await _engine.PublishAsync(Playbook("usage-drop-snoozed", trigger: "usage.dropped", Task(), WaitFor("never.happens")));
        await _engine.Services.GetRequiredService<Enrolment>().SnoozeAsync("usage-drop-snoozed", account.Id, DateTimeOffset.UtcNow.AddDays(7), "on holiday", CancellationToken.None);
        var waiting = await _engine.Runtime.StartAsync(signature, account, null, null, null, CancellationToken.None);

        await SendAsync("drop-1", "usage.dropped", account.Id);
        await SendAsync("drop-2", "usage.dropped", account.Id);
        await SendAsync("signed-1", "contract.signed", account.Id);

        await using var connection = await _engine.Services.GetRequiredService<ServiceDatabase>().OpenAsync();
        var runs = (await connection.QueryAsync<(string DefinitionId, string Status)>(
            "SELECT definition_id, status FROM instances WHERE account_id = @Id", new { account.Id })).ToList();
        // One usage-drop run: the second event found the account at the playbook's cap of one.
        Assert.Single(runs, r => r.DefinitionId == "usage-drop");
        // None of the snoozed playbook.
        Assert.DoesNotContain(runs, r => r.DefinitionId == "usage-drop-snoozed");
        // The run waiting for the signature was resumed by it and has finished.
        Assert.Equal("completed", await connection.ExecuteScalarAsync<string>("SELECT status FROM instances WHERE id = @Id", new { waiting!.Id }));
    }

    private async Task SendAsync(string id, string type, string accountId)
    {
        var log = _engine.Services.GetRequiredService<AccountEventLog>();
        await log.AppendAsync([new AccountEvent { Id = id, Type = type, AccountId = accountId, Data = JsonDocument.Parse("{}").RootElement }], CancellationToken.None);
        await _engine.EventsHandledAsync(TimeSpan.FromSeconds(10));
    }

    private static JsonObject Task() => new()
    {
        ["id"] = "task", ["type"] = "CreateTask", ["inputs"] = new JsonObject { ["title"] = "Call {{ account.name }}" },
    };

    private static JsonObject WaitFor(string eventType) => new()
    {
        ["id"] = $"wait-{eventType}", ["type"] = "WaitForEvent", ["inputs"] = new JsonObject { ["eventType"] = eventType },
    };

    /// <summary>Start, then the steps one after another; at most one running run per account.</summary>
    private static JsonObject Playbook(string id, string? trigger, params JsonObject[] steps)
    {
        var ids = steps.Select(step => step["id"]!.GetValue<string>()).Prepend("start").ToList();
        return new JsonObject
        {
            ["definitionId"] = id, ["name"] = id,
            ["enrolment"] = new JsonObject { ["maxActivePerAccount"] = 1 },
            ["triggers"] = trigger is null ? new JsonArray() : new JsonArray(new JsonObject { ["kind"] = "event", ["eventType"] = trigger }),
            ["activities"] = new JsonArray([new JsonObject { ["id"] = "start", ["type"] = "Start" }, .. steps]),
            ["connections"] = new JsonArray([.. ids.Zip(ids.Skip(1), (from, to) => (JsonNode)new JsonObject { ["from"] = from, ["to"] = to })]),
        };
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
