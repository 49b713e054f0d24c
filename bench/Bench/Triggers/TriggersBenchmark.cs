using Playbooks.TestSupport;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.Embedded;

namespace Playbooks.Bench.Triggers;

/// <summary>
/// Account events through the gateway: how many a CRM can push per second in batches (stored durably before 202), and
/// how long from sending a triggering event to its playbook's instance existing (p50/p99), on the embedded suite.
/// </summary>
public sealed class TriggersBenchmark : IBenchmark
{
    private const int Accounts = 500;
    private const int BatchSize = 1_000;
    private const int Batches = 30;
    private const int LatencySamples = 400;

    public string Name => "triggers";

    public string Title => "Triggers: account events ingested per second, event → instance started latency";

    public async Task<IReadOnlyList<Measurement>> RunAsync(CancellationToken cancellationToken)
    {
        var data = Path.Combine(Path.GetTempPath(), "playbooks-bench", Guid.NewGuid().ToString("N"));
        await using var suite = await PlaybooksSuite.StartAsync([], new Dictionary<string, string?>
        {
            ["Playbooks:Url"] = "http://127.0.0.1:0", ["Playbooks:DataPath"] = data, ["Logging:LogLevel:Default"] = "Warning",
            ["Engine:WorkflowsPath"] = Path.Combine(data, "none"),
        }, cancellationToken: cancellationToken);
        using var http = new HttpClient { BaseAddress = suite.Address, Timeout = TimeSpan.FromMinutes(2) }.SignedInAsAdmin(suite.Gateway.Services);
        var accounts = Enumerable.Range(0, Accounts).Select(i => new { id = $"acct-{i}", name = $"Account {i}", ownerCsm = "csm@example.com", contacts = Array.Empty<object>() }).ToArray();
        (await http.PostAsJsonAsync("/api/engine/accounts", accounts, cancellationToken)).EnsureSuccessStatusCode();
        await CreatePlaybookAsync(http, cancellationToken);

        // Ingestion: batches of events no playbook reacts to, so the figure is the durable intake itself.
        var clock = Stopwatch.StartNew();
        for (var b = 0; b < Batches; b++)
        {
            var batch = Enumerable.Range(0, BatchSize).Select(i => new { id = $"ingest-{b}-{i}", type = "usage.sampled", accountId = $"acct-{i % Accounts}", data = new { minutes = i } });
            (await http.PostAsJsonAsync("/api/engine/events", batch, cancellationToken)).EnsureSuccessStatusCode();
        }
        var ingested = BatchSize * Batches / clock.Elapsed.TotalSeconds;
        await WaitProcessedAsync(http, $"ingest-{Batches - 1}-{BatchSize - 1}", cancellationToken);

        // Latency: one triggering event at a time, sent at about 50/s; the instance's createdAt against the send time.
        var latencies = new List<double>();
        for (var i = 0; i < LatencySamples; i++)
        {
            var sent = DateTimeOffset.UtcNow;
            (await http.PostAsJsonAsync("/api/engine/events", new { id = $"latency-{i}", type = "bench.started", accountId = $"acct-{i % Accounts}" }, cancellationToken)).EnsureSuccessStatusCode();
            var created = await InstanceCreatedAsync(http, $"acct-{i % Accounts}", i / Accounts + 1, cancellationToken);
            latencies.Add((created - sent).TotalMilliseconds);
            await Task.Delay(20, cancellationToken);
        }
        latencies.Sort();
        var p50 = latencies[latencies.Count / 2];
        var p99 = latencies[(int)(latencies.Count * 0.99) - 1];
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        return
        [
            new("events ingested through the gateway", ingested, "/s", "≥ 5,000/s", ingested >= 5_000, $"{Batches} batches of {BatchSize:N0}, durable (SQLite, WAL) before 202"),
            new("event → instance started, p50", p50, "ms", null, null, $"{LatencySamples} triggering events, one at a time"),
            new("event → instance started, p99", p99, "ms", "≤ 20 ms", p99 <= 20, "send time to the instance's createdAt (same machine clock)"),
        ];
    }

    private static async Task CreatePlaybookAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var playbook = new
        {
            definitionId = "bench-trigger", name = "Bench trigger",
            triggers = new[] { new { kind = "event", eventType = "bench.started" } },
            enrolment = new { maxActivePerAccount = 100 },
            activities = new object[] { new { id = "start", type = "Start" }, new { id = "wait", type = "WaitForEvent", inputs = new { eventType = "never.happens" } } },
            connections = new[] { new { from = "start", outcome = "Done", to = "wait" } },
        };
        (await http.PostAsJsonAsync("/api/engine/definitions", playbook, cancellationToken)).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/api/engine/definitions/bench-trigger/publish", new { note = "bench" }, cancellationToken)).EnsureSuccessStatusCode();
    }

    private static async Task WaitProcessedAsync(HttpClient http, string eventId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = await http.GetFromJsonAsync<JsonElement>($"/api/engine/events/{eventId}", cancellationToken);
            if (status.GetProperty("status").GetString() == "processed") return;
            await Task.Delay(200, cancellationToken);
        }
    }

    private static async Task<DateTimeOffset> InstanceCreatedAsync(HttpClient http, string accountId, int expected, CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await http.GetFromJsonAsync<JsonElement>($"/api/engine/instances?definitionId=bench-trigger&accountId={accountId}&take=200", cancellationToken);
            if (page.GetProperty("total").GetInt32() >= expected)
                return page.GetProperty("items").EnumerateArray().Max(i => i.GetProperty("createdAt").GetInt64()) is var ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : default;
            await Task.Delay(1, cancellationToken);
        }
    }
}
