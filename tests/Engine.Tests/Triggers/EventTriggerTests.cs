using System.Net;
using System.Text.Json;
using Playbooks.Engine.Tests.Support;
using Playbooks.Messaging.Contracts;
using Xunit;
using static Playbooks.Engine.Tests.Triggers.TriggerTestSupport;

namespace Playbooks.Engine.Tests.Triggers;

[Collection(EngineSuiteCollection.Name)]
public sealed class EventTriggerTests(EngineSuiteFixture suite)
{
    [Fact]
    public async Task An_account_event_starts_the_playbooks_it_triggers_and_the_same_id_twice_starts_one_run()
    {
        var type = UniqueEventType();
        var id = await suite.CreatePublishedAsync(Waiting(EngineSuiteFixture.Unique("evt")).Trigger(new { kind = "event", eventType = type }));
        var account = await suite.AddAccountAsync();
        var eventId = EngineSuiteFixture.Unique("e");

        var (first, firstBody) = await suite.PostJsonAsync("/api/engine/events", new { id = eventId, type, accountId = account, data = new { plan = "pro" } });
        var (again, againBody) = await suite.PostJsonAsync("/api/engine/events", new { id = eventId, type, accountId = account, data = new { plan = "pro" } });
        await WaitProcessedAsync(suite, eventId);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(1, firstBody.GetProperty("accepted").GetInt32());
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(1, againBody.GetProperty("duplicates").GetInt32());
        var runs = await RunsEventuallyAsync(suite, id, 1, account);
        Assert.Single(runs);
        var run = await suite.InstanceAsync(runs[0].GetProperty("id").GetString()!);
        Assert.Equal("running", run.Text("status"));
    }

    [Fact]
    public async Task A_trigger_condition_that_does_not_hold_starts_nothing()
    {
        var type = UniqueEventType();
        var id = await suite.CreatePublishedAsync(Waiting(EngineSuiteFixture.Unique("cond")).Trigger(new { kind = "event", eventType = type, condition = "event.data.plan == 'pro'" }));
        var account = await suite.AddAccountAsync();

        await PostEventsAsync(suite, new[]
        {
            new { id = EngineSuiteFixture.Unique("basic"), type, accountId = account, data = new { plan = "basic" } },
            new { id = EngineSuiteFixture.Unique("pro"), type, accountId = account, data = new { plan = "pro" } },
        });

        var runs = await RunsEventuallyAsync(suite, id, 1, account);
        Assert.Single(runs);
    }

    [Fact]
    public async Task One_incident_event_fans_out_to_every_listed_account()
    {
        var type = UniqueEventType("opened");
        var id = await suite.CreatePublishedAsync(Waiting(EngineSuiteFixture.Unique("fan")).Trigger(new { kind = "event", eventType = type }));
        var accounts = new[] { await suite.AddAccountAsync(), await suite.AddAccountAsync(), await suite.AddAccountAsync() };

        await PostEventsAsync(suite, new { id = EngineSuiteFixture.Unique("inc"), type, data = new { severity = "SEV-1", accountIds = accounts } });

        var runs = await RunsEventuallyAsync(suite, id, 3);
        Assert.Equal(accounts.Order(), runs.Select(r => r.Text("accountId")!).Order());
    }

    [Fact]
    public async Task Malformed_events_are_refused_with_every_problem_and_nothing_is_stored()
    {
        var account = await suite.AddAccountAsync();
        var goodId = EngineSuiteFixture.Unique("good");

        var (response, problem) = await suite.PostJsonAsync("/api/engine/events", new object[]
        {
            new { id = goodId, type = "usage.dropped", accountId = account },
            new { id = "", type = "Usage Dropped", accountId = account },
            new { id = EngineSuiteFixture.Unique("x"), type = "usage.dropped", accountId = "no-such-account" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(problem.ErrorsAt("$[1].id"));
        Assert.NotEmpty(problem.ErrorsAt("$[1].type"));
        var status = await suite.Client.GetAsync($"/api/engine/events/{goodId}");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task The_engines_own_account_change_type_a_blank_account_and_an_empty_account_list_are_refused_and_nothing_is_stored()
    {
        var account = await suite.AddAccountAsync();
        var goodId = EngineSuiteFixture.Unique("good");

        var (response, problem) = await suite.PostJsonAsync("/api/engine/events", new object[]
        {
            new { id = goodId, type = "usage.dropped", accountId = account },
            new { id = EngineSuiteFixture.Unique("x"), type = "account.changed", accountId = account, data = new { plan = "pro" } },
            new { id = EngineSuiteFixture.Unique("x"), type = "incident.opened", accountId = "", data = new { accountIds = new[] { account } } },
            new { id = EngineSuiteFixture.Unique("x"), type = "incident.opened", data = new { accountIds = Array.Empty<string>() } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("POST /api/engine/accounts", Assert.Single(problem.ErrorsAt("$[1].type")));
        Assert.Contains("blank", Assert.Single(problem.ErrorsAt("$[2].accountId")));
        Assert.NotEmpty(problem.ErrorsAt("$[3].accountId"));
        Assert.Empty(problem.ErrorsAt("$[0].accountId"));
        var status = await suite.Client.GetAsync($"/api/engine/events/{goodId}");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task An_account_change_stored_before_the_type_was_refused_is_skipped_and_the_accounts_next_event_is_handled()
    {
        var type = UniqueEventType();
        var id = await suite.CreatePublishedAsync(Waiting(EngineSuiteFixture.Unique("after-bad")).Trigger(new { kind = "event", eventType = type }));
        var account = await suite.AddAccountAsync();
        var (bad, next) = (EngineSuiteFixture.Unique("bad-change"), EngineSuiteFixture.Unique("next"));

        // As the events API stored it before it refused the type: straight into the log.
        await suite.Engine<Playbooks.Engine.Triggers.AccountEventLog>().AppendAsync(
        [
            new Playbooks.Engine.Triggers.AccountEvent { Id = bad, Type = "account.changed", AccountId = account, Data = JsonDocument.Parse("""{"plan":"pro"}""").RootElement },
            new Playbooks.Engine.Triggers.AccountEvent { Id = next, Type = type, AccountId = account, Data = JsonDocument.Parse("{}").RootElement },
        ], CancellationToken.None);

        await WaitProcessedAsync(suite, next);
        Assert.Single(await RunsEventuallyAsync(suite, id, 1, account));
    }

    [Fact]
    public async Task A_batch_naming_an_unknown_account_is_refused_and_nothing_of_it_is_stored()
    {
        var account = await suite.AddAccountAsync();
        var goodId = EngineSuiteFixture.Unique("good");

        var (response, problem) = await suite.PostJsonAsync("/api/engine/events", new object[]
        {
            new { id = goodId, type = "usage.dropped", accountId = account },
            new { id = EngineSuiteFixture.Unique("x"), type = "usage.dropped", accountId = "no-such-account" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("No account 'no-such-account'", Assert.Single(problem.ErrorsAt("$[1].accountId")));
        Assert.Empty(problem.ErrorsAt("$[0].accountId"));
        var status = await suite.Client.GetAsync($"/api/engine/events/{goodId}");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task Unknown_fields_in_an_event_are_refused()
    {
        var (response, problem) = await suite.PostJsonAsync("/api/engine/events", new { id = "x1", type = "usage.dropped", accountId = "a", customer = "typo" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("customer", problem.ToString());
    }

    [Fact]
    public async Task A_batch_of_ten_thousand_events_is_accepted_in_one_request_and_processed()
    {
        var accounts = new List<string>();
        for (var i = 0; i < 20; i++) accounts.Add(await suite.AddAccountAsync());
        var batch = Enumerable.Range(0, 10_000)
            .Select(i => new { id = $"{accounts[0]}-{i}", type = "usage.sampled", accountId = accounts[i % accounts.Count], data = new { minutes = i } })
            .ToArray();

        var (response, body) = await suite.PostJsonAsync("/api/engine/events", batch);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(10_000, body.GetProperty("accepted").GetInt32());
        await Playbooks.TestSupport.SuiteFixture.EventuallyAsync(() => suite.GetJsonAsync($"/api/engine/events/{accounts[0]}-9999"),
            e => e.GetProperty("status").GetString() == "processed", TimeSpan.FromSeconds(180));
    }

    [Fact]
    public async Task An_exit_condition_ends_the_running_instance_and_asks_for_its_open_tasks_to_be_cancelled()
    {
        var exitType = UniqueEventType("lost");
        var id = await suite.CreatePublishedAsync(Waiting(EngineSuiteFixture.Unique("exit"))
            .Enrolment(new { maxActivePerAccount = 1, exitOn = new[] { new { eventType = exitType } } }));
        var account = await suite.AddAccountAsync();
        var run = await suite.StartAsync(id, account);
        using var bus = suite.RecordBus();

        await PostEventsAsync(suite, new { id = EngineSuiteFixture.Unique("x"), type = exitType, accountId = account });

        var ended = await suite.WaitForStatusAsync(run.Text("id")!, "exited");
        Assert.Contains(exitType, ended.Text("endReason"));
        await bus.WaitForAsync(EventTypes.InstanceTasksCancellationRequested, account, e => e.Data.GetProperty("instanceId").GetString() == run.Text("id"));
    }

    [Fact]
    public async Task An_event_that_ends_a_run_and_triggers_its_playbook_again_starts_a_fresh_run()
    {
        // At most one run at a time: the fresh one may start only because the event ended the other first.
        var type = UniqueEventType("restarted");
        var id = await suite.CreatePublishedAsync(Waiting(EngineSuiteFixture.Unique("restart"))
            .Enrolment(new { maxActivePerAccount = 1, exitOn = new[] { new { eventType = type } } })
            .Trigger(new { kind = "event", eventType = type }));
        var account = await suite.AddAccountAsync();
        var first = await suite.StartAsync(id, account);

        await PostEventsAsync(suite, new { id = EngineSuiteFixture.Unique("r"), type, accountId = account });

        await suite.WaitForStatusAsync(first.Text("id")!, "exited");
        var runs = await RunsEventuallyAsync(suite, id, 2, account);
        Assert.Equal(["exited", "running"], runs.Select(r => r.GetProperty("status").GetString()).Order());
    }
}
