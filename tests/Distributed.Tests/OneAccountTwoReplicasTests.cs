using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Engine.Accounts;
using Playbooks.Engine.Triggers;
using Playbooks.Messaging.Contracts;
using Playbooks.Storage;
using Playbooks.Distributed.Tests.Support;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// One account's events stored by two replicas at the same moment are still handled one after the other: a replica
/// takes an event as it stores it only when the account has nothing before it waiting, and a claim never takes an
/// account whose event another replica took as it stored it.
/// </summary>
public sealed class OneAccountTwoReplicasTests : IAsyncLifetime
{
    private const int Pairs = 25;

    private ScratchDatabase _postgres = null!;
    private ScratchRedis _redis = null!;
    private InProcessEngine[] _replicas = [];

    public async Task InitializeAsync()
    {
        _postgres = await ScratchDatabase.StartAsync("engine", []);
        _redis = await ScratchRedis.StartAsync("one-account-two-replicas");
        var folder = Path.Combine(Path.GetTempPath(), "playbooks-one-account-two-replicas");
        // One after the other: the first migrates the schema.
        _replicas = [await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, folder),
            await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, folder)];
    }

    [Fact]
    public async Task Health_changes_sent_to_both_replicas_at_once_are_applied_one_at_a_time_each_once()
    {
        await _replicas[0].Services.GetRequiredService<AccountStore>().UpsertAsync(
            [new AccountSnapshot("acme", "Acme K.K.", "aiko@playbooks.example", null, null, null, null, null, null, null, "Asia/Tokyo", [])],
            "test", CancellationToken.None);
        var database = _replicas[0].Services.GetRequiredService<ServiceDatabase>();
        await _replicas[0].EventsHandledAsync(TimeSpan.FromSeconds(5));

        // Each pair goes to both replicas at once while the account has nothing waiting: both would take theirs as they
        // store it, and apply it side by side, unless they take turns.
        for (var pair = 0; pair < Pairs; pair++)
        {
            await Task.WhenAll(_replicas.Select((replica, i) => replica.Services.GetRequiredService<AccountEventLog>().AppendAsync(
                [new AccountEvent { Id = $"health-{pair}-{i}", Type = "health.changed", AccountId = "acme", Data = JsonDocument.Parse($$"""{ "healthScore": {{pair * 2 + i + 1}} }""").RootElement }],
                CancellationToken.None)));
            await _replicas[0].EventsHandledAsync(TimeSpan.FromSeconds(5));
        }

        await using var connection = await database.OpenAsync();
        var changes = (await connection.QueryAsync<string>("SELECT data FROM account_events WHERE type = 'account.changed' ORDER BY seq"))
            .Select(data => JsonDocument.Parse(data).RootElement)
            .Select(change => (Before: Health(change, "before"), After: Health(change, "after")))
            .Where(change => change.Before != change.After).ToList();
        // One at a time: each change starts from where the one before it left the account.
        Assert.Equal([null, .. changes.SkipLast(1).Select(change => change.After)], changes.Select(change => change.Before));
        // Each event applied once, and each pair after the one before it. The two of a pair were sent at the same moment,
        // so either may go first.
        Assert.Equal(Enumerable.Range(1, Pairs * 2), changes.Select(change => change.After!.Value).Chunk(2).SelectMany(pair => pair.Order()));
        Assert.Equal(changes[^1].After, (await _replicas[1].Services.GetRequiredService<AccountStore>().GetAsync("acme", CancellationToken.None))!.HealthScore);
    }

    // A change's account without a health score, or a first change's missing "before", has none.
    private static int? Health(JsonElement change, string side) =>
        change.TryGetProperty(side, out var account) && account.ValueKind == JsonValueKind.Object
        && account.TryGetProperty("healthScore", out var score) && score.ValueKind == JsonValueKind.Number ? score.GetInt32() : null;

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas) await replica.DisposeAsync();
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
