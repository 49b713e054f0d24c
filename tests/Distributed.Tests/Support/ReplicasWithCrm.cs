using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Engine.Triggers;
using Playbooks.Messaging.Contracts;
using Playbooks.TestSupport;

namespace Playbooks.Distributed.Tests.Support;

/// <summary>
/// Two engine replicas on a scratch PostgreSQL and Redis of their own, with a short claim lease, and a CRM on loopback
/// that records every call a run makes to it: for tests of what happens when a run's first step outlasts a claim.
/// </summary>
public sealed class ReplicasWithCrm : IAsyncDisposable
{
    private ScratchDatabase _postgres = null!;
    private ScratchRedis _redis = null!;

    public InProcessEngine First { get; private set; } = null!;
    public InProcessEngine Second { get; private set; } = null!;
    public LoopbackServer Crm { get; private set; } = null!;

    /// <summary>The accounts the CRM was called for, in the order the calls arrived (answered or not).</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <param name="answer">What the CRM does before it answers a call for the account (wait, hold).</param>
    /// <param name="clock">The replicas' clock, for date and cron triggers.</param>
    public static async Task<ReplicasWithCrm> StartAsync(string name, int leaseSeconds, Func<string, Task> answer, TimeProvider? clock = null)
    {
        var replicas = new ReplicasWithCrm();
        replicas._postgres = await ScratchDatabase.StartAsync("engine", []);
        replicas._redis = await ScratchRedis.StartAsync(name);
        var lease = new Dictionary<string, string?> { ["Engine:ClaimLeaseSeconds"] = leaseSeconds.ToString() };
        var folder = Path.Combine(Path.GetTempPath(), $"playbooks-{name}");
        replicas.First = await InProcessEngine.StartAsync(replicas._postgres.ConnectionString, replicas._redis.ConnectionString, folder, clock, lease);
        replicas.Second = await InProcessEngine.StartAsync(replicas._postgres.ConnectionString, replicas._redis.ConnectionString, folder + "-2", clock, lease);
        replicas.Crm = await LoopbackServer.StartAsync(crm => crm.MapPost("/crm/{account}", async (string account) =>
        {
            replicas.Calls.Enqueue(account);
            await answer(account);
            return Results.Ok();
        }));
        return replicas;
    }

    /// <summary>Publishes "CRM sync": on <paramref name="trigger"/>, call the CRM for the account, then end.</summary>
    public Task PublishCrmSyncAsync(JsonObject trigger) => First.PublishAsync(CrmSync(trigger, $"{Crm.Address}/crm/{{{{ account.id }}}}"));

    /// <summary>Start → HttpRequest to <paramref name="url"/> (one attempt, 60 s) → End, definition <c>crm-sync</c>.</summary>
    public static JsonObject CrmSync(JsonObject trigger, string url) => new()
    {
        ["definitionId"] = "crm-sync", ["name"] = "CRM sync",
        ["triggers"] = new JsonArray(trigger),
        ["activities"] = new JsonArray(
            new JsonObject { ["id"] = "start", ["type"] = "Start" },
            new JsonObject { ["id"] = "crm", ["type"] = "HttpRequest", ["inputs"] = new JsonObject { ["url"] = url, ["timeout"] = "PT60S", ["retries"] = 0 } },
            new JsonObject { ["id"] = "end", ["type"] = "End" }),
        ["connections"] = new JsonArray(new JsonObject { ["from"] = "start", ["to"] = "crm" }, new JsonObject { ["from"] = "crm", ["to"] = "end" }),
    };

    /// <summary>Stores a usage drop for the account through the first replica, as the events API stores it.</summary>
    public Task SendUsageDropAsync(string accountId) => First.Services.GetRequiredService<AccountEventLog>().AppendAsync(
        [new AccountEvent { Id = $"dropped-{accountId}", Type = "usage.dropped", AccountId = accountId, Data = JsonDocument.Parse("{}").RootElement }],
        CancellationToken.None);

    public static JsonObject OnUsageDrop => new() { ["kind"] = "event", ["eventType"] = "usage.dropped" };

    public async ValueTask DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
        await Crm.DisposeAsync();
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
