using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Engine.Accounts;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Storage;
using Playbooks.Engine.Triggers;
using Playbooks.Messaging.Contracts;
using Playbooks.Storage;
using Playbooks.Distributed.Tests.Support;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// A playbook published on one replica triggers for an account event sent right after, whichever replica takes the
/// event: the publish's broadcast may arrive late or not at all (it is best effort), and the other replica's trigger
/// index would then miss the playbook for up to 10 s, and the event with it.
/// </summary>
public sealed class PublishedElsewhereTests : IAsyncLifetime
{
    private ScratchDatabase _postgres = null!;
    private ScratchRedis _redis = null!;
    private InProcessEngine _replica = null!;

    public async Task InitializeAsync()
    {
        // The replica migrates the engine's schema itself, as it does in production.
        _postgres = await ScratchDatabase.StartAsync("engine", []);
        _redis = await ScratchRedis.StartAsync("published-elsewhere");
        _replica = await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString,
            Path.Combine(Path.GetTempPath(), "playbooks-published-elsewhere"));
    }

    [Fact]
    public async Task An_event_right_after_a_publish_this_replica_was_not_told_of_starts_a_run()
    {
        var services = _replica.Services;
        await services.GetRequiredService<AccountStore>().UpsertAsync(
            [new AccountSnapshot("acme", "Acme K.K.", "aiko@playbooks.example", null, null, null, null, null, null, null, "Asia/Tokyo", [])],
            "test", CancellationToken.None);
        // The trigger index has looked at the definitions since the replica started, and found none for this event.
        await Task.Delay(500);

        // What another replica's publish writes; its broadcast never comes here.
        var definition = EngineJson.Deserialize<PlaybookDefinition>("""
            {
              "definitionId": "kickoff-elsewhere", "name": "Kickoff",
              "triggers": [{ "kind": "event", "eventType": "contract.signed" }],
              "activities": [{ "id": "start", "type": "Start" }, { "id": "end", "type": "End" }],
              "connections": [{ "from": "start", "to": "end" }]
            }
            """)!;
        var store = services.GetRequiredService<DefinitionStore>();
        await store.CreateAsync(definition, CancellationToken.None);
        await store.PublishAsync(definition, "published on another replica", CancellationToken.None);

        var log = services.GetRequiredService<AccountEventLog>();
        await log.AppendAsync([new AccountEvent { Id = "signed-1", Type = "contract.signed", AccountId = "acme", Data = JsonDocument.Parse("{}").RootElement }],
            CancellationToken.None);
        log.Arrived.Raise();

        // Well inside the 10 s after which the replica re-reads the index on its own.
        var database = services.GetRequiredService<ServiceDatabase>();
        long runs = 0;
        for (var waited = 0; waited < 40 && runs == 0; waited++)
        {
            await Task.Delay(100);
            await using var connection = await database.OpenAsync();
            runs = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM instances WHERE definition_id = 'kickoff-elsewhere'");
        }
        Assert.Equal(1, runs);
    }

    public async Task DisposeAsync()
    {
        await _replica.DisposeAsync();
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
