using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Playbooks.Engine.Triggers;
using Playbooks.Messaging.Contracts;
using Playbooks.Storage;
using Playbooks.Distributed.Tests.Support;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// Account events that arrive while every lane of a replica is busy are claimed as they are stored and wait in that
/// replica's line. A replica that stops (a rolling deploy) gives back its line and what its lanes had not finished, so
/// another replica handles those events at once instead of after the claims' 30 s lease. An account's later events
/// wait for the one in line: they are handled after it, in the order they arrived.
/// </summary>
public sealed class LineForLanesTests : IAsyncLifetime
{
    // The replica's lanes (AccountEventProcessor.Lanes): this many accounts held in a webhook keep every lane busy.
    private const int Lanes = 16;
    private const int Waiting = 10;

    private ScratchDatabase _postgres = null!;
    private ScratchRedis _redis = null!;
    private InProcessEngine _first = null!;
    private InProcessEngine? _second;
    private LoopbackServer _crm = null!;
    private string _address = "";
    private readonly TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Every call the webhook had (answered or still held), in the order it had them: the account and the event's number.
    private readonly ConcurrentQueue<(string Account, int Number)> _calls = new();

    public async Task InitializeAsync()
    {
        _postgres = await ScratchDatabase.StartAsync("engine", []);
        _redis = await ScratchRedis.StartAsync("line-for-lanes");
        _first = await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, Path.Combine(Path.GetTempPath(), "playbooks-line-for-lanes"));
        // A CRM webhook that holds every call until the test lets it answer.
        _crm = await LoopbackServer.StartAsync(crm => crm.MapPost("/hold/{account}/{number:int}", async (string account, int number) =>
        {
            _calls.Enqueue((account, number));
            await _answer.Task;
            return Results.Ok();
        }));
        _address = _crm.Address;
    }

    [Fact]
    public async Task Events_waiting_in_line_are_handled_once_each_as_lanes_free()
    {
        var (busy, waiting) = await HoldEveryLaneAndQueueAsync();

        _answer.SetResult();

        await _first.EventsHandledAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(busy.Concat(waiting).Order(), (await RunsAsync(_first)).Keys.Order());
        Assert.All(await RunsAsync(_first), r => Assert.Equal(1, r.Value));
    }

    [Fact]
    public async Task An_accounts_later_events_are_handled_after_the_one_in_line_in_the_order_they_arrived()
    {
        var (_, waiting) = await HoldEveryLaneAndQueueAsync();
        // The account's first event waits in line; these find it busy and wait in the table behind it.
        var account = waiting[0];
        for (var number = 2; number <= 4; number++) await SendAsync(account, number);
        await using (var connection = await _first.Services.GetRequiredService<ServiceDatabase>().OpenAsync())
            Assert.Equal(3, await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM account_events WHERE account_id = @account AND processed_at IS NULL AND claimed_until IS NULL", new { account }));

        _answer.SetResult();

        await _first.EventsHandledAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1, 2, 3, 4], _calls.Where(call => call.Account == account).Select(call => call.Number));
        Assert.Equal(4, (await RunsAsync(_first))[account]);
    }

    [Fact]
    public async Task Events_a_stopping_replica_was_waiting_on_or_working_on_are_handled_by_another_at_once()
    {
        var (busy, waiting) = await HoldEveryLaneAndQueueAsync();
        _second = await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, Path.Combine(Path.GetTempPath(), "playbooks-line-for-lanes-2"));
        // The first replica's event processing stops, as when the replica stops, while its lanes are still in the
        // webhook; the calls are answered once it has begun to.
        var processor = _first.Services.GetServices<IHostedService>().Single(service => service.GetType().Name == "AccountEventProcessor");
        var stopping = processor.StopAsync(CancellationToken.None);
        _answer.SetResult();
        await stopping;

        // Well inside the 30 s lease: every account's event started its run once, on whichever replica finished it.
        var runs = new Dictionary<string, long>();
        for (var waited = 0; waited < 100 && runs.Count < Lanes + Waiting; waited++)
        {
            await Task.Delay(100);
            runs = await RunsAsync(_second);
        }
        Assert.Equal(busy.Concat(waiting).Order(), runs.Keys.Order());
        Assert.All(runs, r => Assert.Equal(1, r.Value));
    }

    [Fact]
    public async Task An_event_naming_several_accounts_that_a_stopping_replica_was_working_on_is_handled_by_another_at_once()
    {
        await _first.PublishAsync(ReplicasWithCrm.CrmSync(ReplicasWithCrm.OnUsageDrop, $"{_address}/hold/{{{{ account.id }}}}/{{{{ event.data.number }}}}"));
        var named = (await _first.AccountsAsync("named", 2)).Select(a => a.Id).ToArray();
        await _first.EventsHandledAsync(TimeSpan.FromSeconds(10));
        // No account of its own: a claim takes it, and it waits for every lane, then runs for each account in turn.
        await _first.Services.GetRequiredService<AccountEventLog>().AppendAsync(
            [new AccountEvent { Id = "dropped-for-several", Type = "usage.dropped", Data = JsonSerializer.SerializeToElement(new { accountIds = named, number = 1 }) }],
            CancellationToken.None);
        await SuiteFixture.EventuallyAsync(() => Task.FromResult(_calls.Count), n => n == 1, TimeSpan.FromSeconds(10));
        _second = await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, Path.Combine(Path.GetTempPath(), "playbooks-line-for-lanes-2"));

        var processor = _first.Services.GetServices<IHostedService>().Single(service => service.GetType().Name == "AccountEventProcessor");
        var stopping = processor.StopAsync(CancellationToken.None);
        _answer.SetResult();
        await stopping;

        // Well inside the 30 s lease, each named account's run started once.
        var runs = await SuiteFixture.EventuallyAsync(() => RunsAsync(_second), r => r.Count == named.Length, TimeSpan.FromSeconds(10));
        Assert.Equal(named.Order(), runs.Keys.Order());
        Assert.All(runs, r => Assert.Equal(1, r.Value));
    }

    /// <summary>Holds every lane of the first replica in the webhook, then sends events that can only wait in its line: claimed as they were stored.</summary>
    private async Task<(string[] Busy, string[] Waiting)> HoldEveryLaneAndQueueAsync()
    {
        await _first.PublishAsync(ReplicasWithCrm.CrmSync(ReplicasWithCrm.OnUsageDrop, $"{_address}/hold/{{{{ account.id }}}}/{{{{ event.data.number }}}}"));
        var busy = (await _first.AccountsAsync("busy", Lanes)).Select(a => a.Id).ToArray();
        var waiting = (await _first.AccountsAsync("waiting", Waiting)).Select(a => a.Id).ToArray();
        // Adding accounts logs their changes as account events: handled first, or the events below would find one waiting.
        await _first.EventsHandledAsync(TimeSpan.FromSeconds(10));
        foreach (var account in busy) await SendAsync(account, 1);
        for (var waited = 0; _calls.Count < Lanes; waited++)
        {
            Assert.True(waited < 200, $"{_calls.Count} of {Lanes} lanes reached the webhook within 10 s.");
            await Task.Delay(50);
        }
        foreach (var account in waiting) await SendAsync(account, 1);

        // Claimed by the busy replica as they were stored: no other replica would take them until the claims lapsed.
        await using var connection = await _first.Services.GetRequiredService<ServiceDatabase>().OpenAsync();
        Assert.Equal(Waiting, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM account_events WHERE account_id LIKE 'waiting-%' AND processed_at IS NULL AND claimed_until IS NOT NULL"));
        return (busy, waiting);
    }

    /// <summary>Sends an account's <paramref name="number"/>th usage drop, stored as the events API stores it.</summary>
    private Task SendAsync(string accountId, int number) => _first.Services.GetRequiredService<AccountEventLog>().AppendAsync(
        [new AccountEvent { Id = $"dropped-{accountId}-{number}", Type = "usage.dropped", AccountId = accountId, Data = JsonDocument.Parse($$"""{"number":{{number}}}""").RootElement }],
        CancellationToken.None);

    private static async Task<Dictionary<string, long>> RunsAsync(InProcessEngine replica)
    {
        await using var connection = await replica.Services.GetRequiredService<ServiceDatabase>().OpenAsync();
        return (await connection.QueryAsync<(string AccountId, long Runs)>(
                "SELECT account_id, COUNT(*) FROM instances WHERE definition_id = 'crm-sync' GROUP BY account_id"))
            .ToDictionary(r => r.AccountId, r => r.Runs);
    }

    public async Task DisposeAsync()
    {
        _answer.TrySetResult();
        if (_second is not null) await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _crm.DisposeAsync();
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
