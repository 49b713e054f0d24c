using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Playbooks.Distributed.Tests.Support;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// A cron trigger's due time fires for every account on the replica that claimed it, one start after another; the claim
/// is renewed as the starts go, so a due time that takes longer than a lease (each run's first step calls a slow CRM) is
/// not taken over and fired again by the other replica.
/// </summary>
public sealed class ScheduleLeaseTests : IAsyncLifetime
{
    private const int LeaseSeconds = 3;
    private const int Accounts = 3;
    // The three starts together take longer than a lease.
    private static readonly TimeSpan SlowCall = TimeSpan.FromSeconds(1.5);

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2027, 4, 1, 12, 0, 30, TimeSpan.Zero));
    private ScratchDatabase _postgres = null!;
    private ScratchRedis _redis = null!;
    private InProcessEngine _first = null!;
    private InProcessEngine _second = null!;
    private LoopbackServer _crm = null!;
    private readonly ConcurrentQueue<string> _calls = new();

    public async Task InitializeAsync()
    {
        _postgres = await ScratchDatabase.StartAsync("engine", []);
        _redis = await ScratchRedis.StartAsync("schedule-lease");
        var lease = new Dictionary<string, string?> { ["Engine:ClaimLeaseSeconds"] = LeaseSeconds.ToString() };
        var folder = Path.Combine(Path.GetTempPath(), "playbooks-schedule-lease");
        _first = await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, folder, _clock, lease);
        _second = await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, folder + "-2", _clock, lease);
        _crm = await LoopbackServer.StartAsync(crm => crm.MapPost("/weekly/{account}", async (string account) =>
        {
            _calls.Enqueue(account);
            await Task.Delay(SlowCall);
            return Results.Ok();
        }));
    }

    [Fact]
    public async Task A_due_time_that_takes_longer_than_a_lease_fires_once_for_each_account()
    {
        var accounts = (await _first.AccountsAsync("book", Accounts)).Select(a => a.Id).ToArray();
        await _first.PublishAsync(new JsonObject
        {
            ["definitionId"] = "weekly-check", ["name"] = "Weekly check",
            ["triggers"] = new JsonArray(new JsonObject { ["kind"] = "schedule", ["cron"] = "* * * * *" }),
            ["activities"] = new JsonArray(
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject { ["id"] = "crm", ["type"] = "HttpRequest", ["inputs"] = new JsonObject { ["url"] = $"{_crm.Address}/weekly/{{{{ account.id }}}}", ["timeout"] = "PT60S", ["retries"] = 0 } },
                new JsonObject { ["id"] = "end", ["type"] = "End" }),
            ["connections"] = new JsonArray(new JsonObject { ["from"] = "start", ["to"] = "crm" }, new JsonObject { ["from"] = "crm", ["to"] = "end" }),
        });
        // Both replicas have seen the schedule (they look four times a second) before its next minute comes.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        _clock.Advance(TimeSpan.FromSeconds(40));

        await SuiteFixture.EventuallyAsync(() => Task.FromResult(accounts.All(_calls.Contains)), all => all, TimeSpan.FromSeconds(30));
        // A lease after the last start began: a due time taken over would have fired again by now.
        await Task.Delay(TimeSpan.FromSeconds(LeaseSeconds) + SlowCall);

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
