using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Distributed.Tests.Support;
using Playbooks.Engine.Triggers;
using Playbooks.Messaging.Contracts;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// A replica keeps its claim on an account event for as long as it works on it: a run whose first step waits on a slow
/// CRM for longer than a lease is not taken over by the other replica, which would start it again and call the CRM twice.
/// </summary>
public sealed class LeaseRenewalTests : IAsyncLifetime
{
    private const int LeaseSeconds = 3;
    // Three leases: without renewal the claim lapses twice over while the CRM is still answering.
    private static readonly TimeSpan SlowCall = TimeSpan.FromSeconds(3 * LeaseSeconds);

    private ScratchDatabase _postgres = null!;
    private ScratchRedis _redis = null!;
    private InProcessEngine _first = null!;
    private InProcessEngine _second = null!;
    private LoopbackServer _crm = null!;
    private readonly ConcurrentQueue<string> _calls = new();

    public async Task InitializeAsync()
    {
        _postgres = await ScratchDatabase.StartAsync("engine", []);
        _redis = await ScratchRedis.StartAsync("lease-renewal");
        var lease = new Dictionary<string, string?> { ["Engine:ClaimLeaseSeconds"] = LeaseSeconds.ToString() };
        var folder = Path.Combine(Path.GetTempPath(), "playbooks-lease-renewal");
        _first = await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, folder, settings: lease);
        _second = await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, folder + "-2", settings: lease);
        _crm = await LoopbackServer.StartAsync(crm => crm.MapPost("/sync/{account}", async (string account) =>
        {
            _calls.Enqueue(account);
            await Task.Delay(SlowCall);
            return Results.Ok();
        }));
    }

    [Fact]
    public async Task A_run_whose_first_step_outlasts_the_lease_is_not_taken_over_and_calls_the_crm_once()
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
        var accounts = (await _first.AccountsAsync("slow-crm", 3)).Select(a => a.Id).ToArray();

        foreach (var account in accounts)
            await _first.Services.GetRequiredService<AccountEventLog>().AppendAsync(
                [new AccountEvent { Id = $"dropped-{account}", Type = "usage.dropped", AccountId = account, Data = JsonDocument.Parse("{}").RootElement }],
                CancellationToken.None);
        await _first.EventsHandledAsync(SlowCall * 3);

        Assert.Equal(accounts.Order(), _calls.Order());
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _crm.DisposeAsync();
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
