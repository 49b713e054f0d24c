using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Distributed.Tests.Support;
using Playbooks.Engine.Triggers;
using Playbooks.Messaging.Contracts;
using Playbooks.Storage;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// A replica whose lanes are stuck (a CRM that does not answer) keeps the events its lanes work on (their claims are
/// renewed), and lets the events waiting in its line go: their claims are not renewed, another replica takes them over
/// once they lapse, and each run calls the CRM once, also after the stuck lanes free up.
/// </summary>
public sealed class StuckLanesTests : IAsyncLifetime
{
    private const int Lanes = 16;
    private const int Waiting = 4;
    private const int LeaseSeconds = 6;

    private ScratchDatabase _postgres = null!;
    private ScratchRedis _redis = null!;
    private InProcessEngine _first = null!;
    private InProcessEngine _second = null!;
    private LoopbackServer _crm = null!;
    private readonly TaskCompletionSource _answerBusy = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _calls = new();

    public async Task InitializeAsync()
    {
        _postgres = await ScratchDatabase.StartAsync("engine", []);
        _redis = await ScratchRedis.StartAsync("stuck-lanes");
        var lease = new Dictionary<string, string?> { ["Engine:ClaimLeaseSeconds"] = LeaseSeconds.ToString() };
        var folder = Path.Combine(Path.GetTempPath(), "playbooks-stuck-lanes");
        _first = await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, folder, settings: lease);
        _second = await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, folder + "-2", settings: lease);
        // The CRM holds the busy accounts' calls until the test lets it answer, and answers the others at once.
        _crm = await LoopbackServer.StartAsync(crm => crm.MapPost("/sync/{account}", async (string account) =>
        {
            _calls.Enqueue(account);
            if (account.StartsWith("busy-", StringComparison.Ordinal)) await _answerBusy.Task;
            return Results.Ok();
        }));
    }

    [Fact]
    public async Task Events_that_waited_in_line_past_their_lease_are_handled_once_by_the_replica_that_took_them_over()
    {
        await _first.PublishAsync(new JsonObject
        {
            ["definitionId"] = "crm-sync", ["name"] = "CRM sync",
            ["triggers"] = new JsonArray(new JsonObject { ["kind"] = "event", ["eventType"] = "usage.dropped" }),
            ["activities"] = new JsonArray(
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject { ["id"] = "crm", ["type"] = "HttpRequest", ["inputs"] = new JsonObject { ["url"] = $"{_crm.Address}/sync/{{{{ account.id }}}}", ["timeout"] = "PT60S", ["retries"] = 0 } },
                new JsonObject { ["id"] = "end", ["type"] = "End" }),
            ["connections"] = new JsonArray(new JsonObject { ["from"] = "start", ["to"] = "crm" }, new JsonObject { ["from"] = "crm", ["to"] = "end" }),
        });
        var busy = (await _first.AccountsAsync("busy", Lanes)).Select(a => a.Id).ToArray();
        var waiting = (await _first.AccountsAsync("waiting", Waiting)).Select(a => a.Id).ToArray();
        // Adding accounts logs their changes as account events: handled first, or the events below would find one waiting.
        await _first.EventsHandledAsync(TimeSpan.FromSeconds(10));
        // Every lane of the first replica in the CRM, then events that can only wait in its line, claimed for it.
        foreach (var account in busy) await SendAsync(account);
        await SuiteFixture.EventuallyAsync(() => Task.FromResult(_calls.Count), n => n == Lanes, TimeSpan.FromSeconds(10));
        foreach (var account in waiting) await SendAsync(account);
        await using (var connection = await _first.Services.GetRequiredService<ServiceDatabase>().OpenAsync())
            Assert.Equal(Waiting, await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM account_events WHERE account_id LIKE 'waiting-%' AND processed_at IS NULL AND claimed_until IS NOT NULL"));

        // The lanes stay stuck past the whole lease: the other replica takes the line's events over and handles them.
        await SuiteFixture.EventuallyAsync(WaitingHandledAsync, n => n == Waiting, TimeSpan.FromSeconds(LeaseSeconds * 3));
        // Then they free up, and the line's events are given back, not handled a second time.
        _answerBusy.SetResult();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await _first.EventsHandledAsync(TimeSpan.FromSeconds(10));

        Assert.All(waiting, account => Assert.Equal(1, _calls.Count(call => call == account)));
        Assert.All(busy, account => Assert.Equal(1, _calls.Count(call => call == account)));
    }

    private async Task<long> WaitingHandledAsync()
    {
        await using var connection = await _first.Services.GetRequiredService<ServiceDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM account_events WHERE account_id LIKE 'waiting-%' AND processed_at IS NOT NULL");
    }

    private Task SendAsync(string accountId) => _first.Services.GetRequiredService<AccountEventLog>().AppendAsync(
        [new AccountEvent { Id = $"dropped-{accountId}", Type = "usage.dropped", AccountId = accountId, Data = JsonDocument.Parse("{}").RootElement }],
        CancellationToken.None);

    public async Task DisposeAsync()
    {
        _answerBusy.TrySetResult();
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _crm.DisposeAsync();
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
