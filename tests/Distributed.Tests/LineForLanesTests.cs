using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Playbooks.Engine.Triggers;
using Playbooks.Messaging.Contracts;
using Playbooks.Storage;
using Playbooks.Distributed.Tests.Support;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// Account events that arrive while every lane of a replica is busy are claimed as they are stored and wait in that
/// replica's line. A replica that stops (a rolling deploy) gives back its line and what its lanes had not finished, so
/// another replica handles those events at once instead of after the claims' 30 s lease.
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
    private WebApplication _crm = null!;
    private string _address = "";
    private readonly TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    public async Task InitializeAsync()
    {
        _postgres = await ScratchDatabase.StartAsync("engine", []);
        _redis = await ScratchRedis.StartAsync("line-for-lanes");
        _first = await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, Path.Combine(Path.GetTempPath(), "playbooks-line-for-lanes"));
        // A CRM webhook that holds every call until the test lets it answer.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _crm = builder.Build();
        _crm.MapPost("/hold/{account}", async (string account) =>
        {
            Interlocked.Increment(ref _held);
            await _answer.Task;
            return Results.Ok();
        });
        await _crm.StartAsync();
        _address = _crm.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    [Fact]
    public async Task Events_a_stopping_replica_was_waiting_on_or_working_on_are_handled_by_another_at_once()
    {
        await _first.PublishAsync(new JsonObject
        {
            ["definitionId"] = "crm-sync", ["name"] = "CRM sync",
            ["triggers"] = new JsonArray(new JsonObject { ["kind"] = "event", ["eventType"] = "usage.dropped" }),
            ["activities"] = new JsonArray(
                new JsonObject { ["id"] = "start", ["type"] = "Start" },
                new JsonObject { ["id"] = "crm", ["type"] = "HttpRequest", ["inputs"] = new JsonObject { ["url"] = $"{_address}/hold/{{{{ account.id }}}}", ["timeout"] = "PT60S", ["retries"] = 0 } },
                new JsonObject { ["id"] = "end", ["type"] = "End" }),
            ["connections"] = new JsonArray(new JsonObject { ["from"] = "start", ["to"] = "crm" }, new JsonObject { ["from"] = "crm", ["to"] = "end" }),
        });
        var busy = await _first.AccountsAsync("busy", Lanes);
        var waiting = await _first.AccountsAsync("waiting", Waiting);
        var log = _first.Services.GetRequiredService<AccountEventLog>();
        Task SendAsync(string accountId) => log.AppendAsync(
            [new AccountEvent { Id = $"dropped-{accountId}", Type = "usage.dropped", AccountId = accountId, Data = JsonDocument.Parse("{}").RootElement }], CancellationToken.None);

        foreach (var account in busy) await SendAsync(account.Id);
        for (var waited = 0; Volatile.Read(ref _held) < Lanes; waited++)
        {
            Assert.True(waited < 200, $"{Volatile.Read(ref _held)} of {Lanes} lanes reached the webhook within 10 s.");
            await Task.Delay(50);
        }
        foreach (var account in waiting) await SendAsync(account.Id);

        // Claimed by the busy replica as they were stored: no other replica would take them until the claims lapsed.
        var database = _first.Services.GetRequiredService<ServiceDatabase>();
        await using (var connection = await database.OpenAsync())
            Assert.Equal(Waiting, await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM account_events WHERE account_id LIKE 'waiting-%' AND processed_at IS NULL AND claimed_until IS NOT NULL"));

        _second = await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, Path.Combine(Path.GetTempPath(), "playbooks-line-for-lanes-2"));
        // The first replica's event processing stops, as when the replica stops, while its lanes are still in the
        // webhook; the calls are answered once it has begun to.
        var processor = _first.Services.GetServices<IHostedService>().Single(service => service.GetType().Name == "AccountEventProcessor");
        var stopping = processor.StopAsync(CancellationToken.None);
        _answer.SetResult();
        await stopping;

        // Well inside the 30 s lease: every account's event started its run once, on whichever replica finished it.
        database = _second.Services.GetRequiredService<ServiceDatabase>();
        var runs = new Dictionary<string, long>();
        for (var waited = 0; waited < 100 && runs.Count < Lanes + Waiting; waited++)
        {
            await Task.Delay(100);
            await using var connection = await database.OpenAsync();
            runs = (await connection.QueryAsync<(string AccountId, long Runs)>(
                    "SELECT account_id, COUNT(*) FROM instances WHERE definition_id = 'crm-sync' GROUP BY account_id"))
                .ToDictionary(r => r.AccountId, r => r.Runs);
        }
        Assert.Equal(busy.Concat(waiting).Select(a => a.Id).Order(), runs.Keys.Order());
        Assert.All(runs, r => Assert.Equal(1, r.Value));
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
