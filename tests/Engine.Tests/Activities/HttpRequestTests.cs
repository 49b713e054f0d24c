using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Playbooks.Engine.Tests.Support;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Engine.Tests.Activities;

/// <summary>HttpRequest against a real local HTTP endpoint standing in for a CRM's webhook.</summary>
[Collection(EngineSuiteCollection.Name)]
public sealed class HttpRequestTests(EngineSuiteFixture suite) : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentQueue<string> _bodies = new();
    private LoopbackServer _crm = null!;
    private string _address = "";

    public async Task InitializeAsync()
    {
        // /flaky/{key} fails with 500 on its first call and succeeds after; /down always fails; /slow answers after a second.
        _crm = await LoopbackServer.StartAsync(crm =>
        {
            crm.MapPost("/ok/{key}", async (string key, HttpRequest request) =>
            {
                _calls.AddOrUpdate(key, 1, (_, n) => n + 1);
                _bodies.Enqueue(await new StreamReader(request.Body).ReadToEndAsync());
                return Results.Json(new { received = true });
            });
            crm.MapPost("/flaky/{key}", (string key) =>
                _calls.AddOrUpdate(key, 1, (_, n) => n + 1) == 1 ? Results.StatusCode(500) : Results.Ok("recovered"));
            crm.MapPost("/down/{key}", (string key) =>
            {
                _calls.AddOrUpdate(key, 1, (_, n) => n + 1);
                return Results.StatusCode(503);
            });
            crm.MapPost("/missing/{key}", (string key) =>
            {
                _calls.AddOrUpdate(key, 1, (_, n) => n + 1);
                return Results.NotFound();
            });
            crm.MapPost("/slow/{key}", async (string key) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                return Results.Ok();
            });
        });
        _address = _crm.Address;
    }

    public async Task DisposeAsync() => await _crm.DisposeAsync();

    private async Task<(System.Text.Json.JsonElement Instance, string Key)> RunAsync(string path, object? extra = null)
    {
        var key = Guid.NewGuid().ToString("N");
        var inputs = new Dictionary<string, object?>
        {
            ["url"] = $"{_address}/{path}/{key}?account={{{{ account.id }}}}",
            ["body"] = new { js = "({ account: account.id, health: account.healthScore })" },
        };
        if (extra is not null)
            foreach (var property in extra.GetType().GetProperties()) inputs[property.Name] = property.GetValue(extra);
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("webhook"), ("crm", "HttpRequest", inputs))
            .Activity("synced", "End").Activity("failed", "End")
            .Connect("crm", "synced", "Success").Connect("crm", "failed", "Failure");
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        return (await suite.StartAsync(playbook.Id, account), key);
    }

    [Fact]
    public async Task A_2xx_answer_takes_Success_with_the_status_and_body_as_output()
    {
        var (instance, key) = await RunAsync("ok");

        var call = Assert.Single(instance.JournalOf("crm"));
        Assert.Equal("Success", call.Text("outcome"));
        Assert.Equal(200, call.GetProperty("output").GetProperty("status").GetInt32());
        Assert.Equal(1, call.GetProperty("output").GetProperty("attempts").GetInt32());
        Assert.Contains("\"received\":true", call.GetProperty("output").Text("body"));
        Assert.Equal(1, _calls[key]);
        Assert.Contains("\"health\":50", Assert.Single(_bodies));
        Assert.Single(instance.JournalOf("synced"));
    }

    [Fact]
    public async Task A_500_is_retried_and_the_retry_that_succeeds_takes_Success()
    {
        var (instance, key) = await RunAsync("flaky");

        var call = Assert.Single(instance.JournalOf("crm"));
        Assert.Equal("Success", call.Text("outcome"));
        Assert.Equal(2, call.GetProperty("output").GetProperty("attempts").GetInt32());
        Assert.Equal(2, _calls[key]);
    }

    [Fact]
    public async Task An_endpoint_that_keeps_failing_takes_Failure_after_the_retries()
    {
        var (instance, key) = await RunAsync("down", new { retries = 1 });

        var call = Assert.Single(instance.JournalOf("crm"));
        Assert.Equal("Failure", call.Text("outcome"));
        Assert.Equal(503, call.GetProperty("output").GetProperty("status").GetInt32());
        Assert.Equal(2, _calls[key]);
        Assert.Single(instance.JournalOf("failed"));
        Assert.Equal("completed", instance.Text("status"));
    }

    [Fact]
    public async Task A_4xx_answer_takes_Failure_without_retrying()
    {
        var (instance, key) = await RunAsync("missing");

        Assert.Equal("Failure", Assert.Single(instance.JournalOf("crm")).Text("outcome"));
        Assert.Equal(1, _calls[key]);
    }

    [Fact]
    public async Task An_endpoint_that_does_not_answer_in_time_takes_Failure_with_the_reason()
    {
        var (instance, _) = await RunAsync("slow", new { timeout = "PT0.2S", retries = 0 });

        var call = Assert.Single(instance.JournalOf("crm"));
        Assert.Equal("Failure", call.Text("outcome"));
        Assert.Equal("no answer within 0.2 s", call.GetProperty("output").Text("error"));
    }

    [Fact]
    public async Task A_test_run_does_not_call_out()
    {
        var key = Guid.NewGuid().ToString("N");
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("webhook-sim"), ("crm", "HttpRequest", new { url = $"{_address}/ok/{key}" }))
            .Activity("synced", "End").Connect("crm", "synced", "Success");

        var result = await suite.SimulateDraftAsync(playbook);

        Assert.Contains(("activity", "crm", "Success", 0d), result.Timeline());
        Assert.False(_calls.ContainsKey(key));
    }

    [Fact]
    public async Task An_account_change_made_while_a_run_waits_on_a_webhook_is_kept_when_the_run_updates_the_account()
    {
        var key = Guid.NewGuid().ToString("N");
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("slow-then-update"), ("crm", "HttpRequest", new { url = $"{_address}/slow/{key}" }))
            .Activity("adopted", "UpdateAccount", new { field = "lifecycleStage", value = "adopted" })
            .Connect("crm", "adopted", "Success")
            .Connect("crm", "adopted", "Failure");
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();

        var run = suite.StartAsync(playbook.Id, account);
        await Task.Delay(300);
        // Meanwhile the CRM sync records a new health score.
        var (response, _) = await suite.PostJsonAsync("/api/engine/accounts", EngineSuiteFixture.NewAccount(account, a => a["healthScore"] = 91));
        Assert.True(response.IsSuccessStatusCode);
        await run;

        var stored = await suite.GetJsonAsync($"/api/engine/accounts/{account}");
        Assert.Equal("adopted", stored.Text("lifecycleStage"));
        Assert.Equal(91, stored.GetProperty("healthScore").GetInt32());
    }
}
