using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Playbooks.Distributed.Tests.Support;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// A replica that claimed a batch of due date triggers fires them one after another, renewing the batch's claims, and
/// gives the rest back once half the lease has passed (each run's first step calls a slow CRM). Fired on a claim that
/// had lapsed meanwhile, a date would also be fired by the other replica, and the CRM called twice for it.
/// </summary>
public sealed class DateTriggerBatchTests : IAsyncLifetime
{
    private const int LeaseSeconds = 4;
    private const int Accounts = 3;
    // Longer than half the lease, shorter than a whole one: the batch's second start would end past the lease.
    private static readonly TimeSpan SlowCall = TimeSpan.FromMilliseconds(2_500);

    private ScratchDatabase _postgres = null!;
    private ScratchRedis _redis = null!;
    private InProcessEngine _first = null!;
    private InProcessEngine _second = null!;
    private LoopbackServer _crm = null!;
    private readonly ConcurrentQueue<string> _calls = new();

    public async Task InitializeAsync()
    {
        _postgres = await ScratchDatabase.StartAsync("engine", []);
        _redis = await ScratchRedis.StartAsync("date-trigger-batch");
        // The accounts renew on 2027-06-30 (InProcessEngine.AccountsAsync): 90 days before is due on 2027-04-01 at 09:00 UTC.
        var clock = new ManualTimeProvider(new DateTimeOffset(2027, 4, 1, 12, 0, 0, TimeSpan.Zero));
        var lease = new Dictionary<string, string?> { ["Engine:ClaimLeaseSeconds"] = LeaseSeconds.ToString() };
        var folder = Path.Combine(Path.GetTempPath(), "playbooks-date-trigger-batch");
        _first = await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, folder, clock, lease);
        _second = await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, folder + "-2", clock, lease);
        _crm = await LoopbackServer.StartAsync(crm => crm.MapPost("/renewal/{account}", async (string account) =>
        {
            _calls.Enqueue(account);
            await Task.Delay(SlowCall);
            return Results.Ok();
        }));
    }

    [Fact]
    public async Task A_batch_of_due_dates_that_runs_past_half_its_lease_gives_the_rest_back_and_each_date_calls_the_crm_once()
    {
        var accounts = (await _first.AccountsAsync("renewing", Accounts)).Select(a => a.Id).ToArray();
        await _first.PublishAsync(new JsonObject
        {
            ["definitionId"] = "renewal-outreach", ["name"] = "Renewal outreach",
            ["triggers"] = new JsonArray(new JsonObject { ["kind"] = "date", ["field"] = "renewalDate", ["offsetDays"] = -90 }),
            ["activities"] = new JsonArray(
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject { ["id"] = "crm", ["type"] = "HttpRequest", ["inputs"] = new JsonObject { ["url"] = $"{_crm.Address}/renewal/{{{{ account.id }}}}", ["timeout"] = "PT60S", ["retries"] = 0 } },
                new JsonObject { ["id"] = "end", ["type"] = "End" }),
            ["connections"] = new JsonArray(new JsonObject { ["from"] = "start", ["to"] = "crm" }, new JsonObject { ["from"] = "crm", ["to"] = "end" }),
        });

        await SuiteFixture.EventuallyAsync(() => Task.FromResult(accounts.All(_calls.Contains)), all => all, TimeSpan.FromSeconds(30));
        // A lease after the last call began: a date fired on a lapsed claim would have been fired again by now.
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
