using Dapper;
using Playbooks.Engine.Instances;
using Playbooks.Engine.Tests.Support;
using Playbooks.Storage;
using Xunit;

namespace Playbooks.Engine.Tests.Instances;

/// <summary>
/// A waiting run is a row, not an object: it survives a restart of the whole suite, and its timers and task outcomes
/// still reach it — once each, even when the bus delivers twice or early. These tests restart their own suite.
/// </summary>
public sealed class DurabilityTests(EngineSuiteFixture suite) : IClassFixture<EngineSuiteFixture>
{
    private static Playbook Kickoff() =>
        Playbook.Chain(EngineSuiteFixture.Unique("durable"),
                ("kickoff", "CreateTask", new { title = "Kickoff with {{ account.name }}", outcomes = new[] { "held", "no-show" } }),
                ("wait", "WaitForTask", new { task = "kickoff" }))
            .Activity("held", "SetVariable", new { name = "result", value = "held" })
            .Activity("noShow", "SetVariable", new { name = "result", value = "no-show" })
            .Variable("result", "string")
            .Connect("wait", "held", "held")
            .Connect("wait", "noShow", "no-show");

    /// <summary>Kickoff task → a pause of <paramref name="pause"/> → waits for the task → "held" ends the run.</summary>
    private static Playbook WaitsAfterPause(string prefix, string pause, params string[] otherOutcomes) =>
        Playbook.Chain(EngineSuiteFixture.Unique(prefix),
                ("kickoff", "CreateTask", new { title = "Kickoff", outcomes = new[] { "held" }.Concat(otherOutcomes).ToArray() }),
                ("pause", "Delay", new { duration = pause }),
                ("wait", "WaitForTask", new { task = "kickoff" }))
            .Activity("held", "End")
            .Connect("wait", "held", "held");

    /// <summary>Publishes the playbook and starts it for a new account.</summary>
    private async Task<(string Account, string Id)> StartedAsync(Playbook playbook)
    {
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        return (account, (await suite.StartAsync(playbook.Id, account)).Text("id")!);
    }

    [Fact]
    public async Task A_waiting_run_survives_a_restart_and_resumes_on_the_task_outcome()
    {
        var playbook = Kickoff();
        var (account, id) = await StartedAsync(playbook);

        await suite.RestartAsync();
        var waiting = await suite.InstanceAsync(id);
        Assert.Equal("running", waiting.Text("status"));
        Assert.Single(waiting.Items("waits"));
        await suite.PublishAsync(EngineSuiteFixture.TaskCompleted(id, account, "kickoff", "no-show"));

        var done = await suite.WaitForStatusAsync(id, "completed");
        Assert.Equal("no-show", done.GetProperty("variables").Text("result"));
    }

    [Fact]
    public async Task A_timer_set_before_a_restart_fires_after_it()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("timer-restart"), ("pause", "Delay", new { duration = "PT2S" }), ("end", "End", null));
        var (account, id) = await StartedAsync(playbook);
        var stopping = DateTimeOffset.UtcNow;

        await suite.RestartAsync();

        var done = await suite.WaitForStatusAsync(id, "completed");
        Assert.Equal(["waiting", "resumed"], done.JournalOf("pause").Select(j => j.Text("status")));
        Assert.True(done.JournalOf("pause")[1].GetProperty("endedAt").GetDateTimeOffset() > stopping, "the timer fired before the restart");
        Assert.Single(done.JournalOf("end"));
    }

    [Fact]
    public async Task The_same_task_outcome_delivered_twice_resumes_the_run_once()
    {
        var playbook = Kickoff();
        var (account, id) = await StartedAsync(playbook);
        var completion = EngineSuiteFixture.TaskCompleted(id, account, "kickoff", "held");

        await suite.PublishAsync(completion);
        await suite.PublishAsync(completion);

        var done = await suite.WaitForStatusAsync(id, "completed");
        Assert.Single(done.JournalOf("wait"), j => j.Text("status") == "resumed");
        Assert.Single(done.JournalOf("held"));
        Assert.Equal(0, await PendingStimuliAsync(id));
    }

    [Fact]
    public async Task The_same_task_outcome_delivered_concurrently_resumes_the_run_once()
    {
        var playbook = Kickoff();
        var (account, id) = await StartedAsync(playbook);
        var completion = EngineSuiteFixture.TaskCompleted(id, account, "kickoff", "held");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => suite.PublishAsync(completion))));

        var done = await suite.WaitForStatusAsync(id, "completed");
        Assert.Single(done.JournalOf("wait"), j => j.Text("status") == "resumed");
        Assert.Equal(0, await PendingStimuliAsync(id));
    }

    [Fact]
    public async Task A_task_outcome_that_arrives_before_the_run_waits_for_it_is_kept_and_applied()
    {
        var playbook = WaitsAfterPause("early-outcome", "PT1S", "no-show");
        var (account, id) = await StartedAsync(playbook);

        // The CSM is quick: the task is done while the run still sits in its Delay.
        await suite.PublishAsync(EngineSuiteFixture.TaskCompleted(id, account, "kickoff", "held"));
        Assert.Equal(1, await PendingStimuliAsync(id));
        Assert.Equal("running", (await suite.InstanceAsync(id)).Text("status"));

        var done = await suite.WaitForStatusAsync(id, "completed");
        Assert.Equal(["waiting", "resumed"], done.JournalOf("wait").Select(j => j.Text("status")));
        Assert.Equal("held", done.JournalOf("wait")[1].Text("outcome"));
        Assert.Single(done.JournalOf("held"));
        Assert.Equal(0, await PendingStimuliAsync(id));
    }

    [Fact]
    public async Task A_kept_task_outcome_delivered_again_after_it_was_applied_is_dropped()
    {
        // A second wait on the same task, as after a reschedule: only a new outcome may resume it.
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("early-twice"),
                ("kickoff", "CreateTask", new { title = "Kickoff", outcomes = new[] { "held" } }),
                ("pause", "Delay", new { duration = "PT1S" }),
                ("wait", "WaitForTask", new { task = "kickoff" }))
            .Activity("again", "Delay", new { duration = "PT1S" })
            .Activity("waitAgain", "WaitForTask", new { task = "kickoff" })
            .Activity("end", "End")
            .Connect("wait", "again", "held")
            .Connect("again", "waitAgain")
            .Connect("waitAgain", "end", "held");
        var (account, id) = await StartedAsync(playbook);
        var completion = EngineSuiteFixture.TaskCompleted(id, account, "kickoff", "held");
        await suite.PublishAsync(completion);
        await EngineSuiteFixture.EventuallyAsync(() => suite.InstanceAsync(id), i => i.JournalOf("again").Count > 0);

        await suite.PublishAsync(completion);

        var waiting = await EngineSuiteFixture.EventuallyAsync(() => suite.InstanceAsync(id), i => i.JournalOf("waitAgain").Count > 0, TimeSpan.FromSeconds(5));
        await Task.Delay(300);
        waiting = await suite.InstanceAsync(id);
        Assert.Equal(["waiting"], waiting.JournalOf("waitAgain").Select(j => j.Text("status")));
        Assert.Equal(0, await PendingStimuliAsync(id));
    }

    [Fact]
    public async Task A_task_outcome_kept_for_a_run_survives_a_restart()
    {
        var playbook = WaitsAfterPause("early-restart", "PT1S");
        var (account, id) = await StartedAsync(playbook);
        await suite.PublishAsync(EngineSuiteFixture.TaskCompleted(id, account, "kickoff", "held"));

        await suite.RestartAsync();

        var done = await suite.WaitForStatusAsync(id, "completed");
        Assert.Single(done.JournalOf("held"));
    }

    [Fact]
    public async Task A_task_outcome_for_a_run_that_was_cancelled_is_not_kept()
    {
        var playbook = WaitsAfterPause("cancelled-outcome", "P7D");
        var (account, id) = await StartedAsync(playbook);
        var (response, _) = await suite.PostJsonAsync($"{EngineSuiteFixture.Instances}/{id}/cancel", new { reason = "Customer churned" });
        response.EnsureSuccessStatusCode();

        // The CSM closes the task anyway, days later.
        await suite.PublishAsync(EngineSuiteFixture.TaskCompleted(id, account, "kickoff", "held"));

        Assert.Equal(0, await PendingStimuliAsync(id));
        Assert.Equal("cancelled", (await suite.InstanceAsync(id)).Text("status"));
    }

    [Fact]
    public async Task A_kept_task_outcome_is_swept_once_its_run_ends_without_waiting_and_kept_while_the_run_may_still_wait()
    {
        // The task is done while the run pauses; this run then ends without waiting for it.
        var endsWithoutWaiting = Playbook.Chain(EngineSuiteFixture.Unique("never-waits"),
            ("kickoff", "CreateTask", new { title = "Kickoff", outcomes = new[] { "held" } }),
            ("pause", "Delay", new { duration = "PT2S" }),
            ("end", "End", null));
        // This one reaches its wait only after a day: its outcome must stay until then.
        var waitsLater = WaitsAfterPause("waits-later", "P1D");
        await suite.CreatePublishedAsync(endsWithoutWaiting);
        await suite.CreatePublishedAsync(waitsLater);
        var account = await suite.AddAccountAsync();
        var ended = (await suite.StartAsync(endsWithoutWaiting.Id, account)).Text("id")!;
        var waiting = (await suite.StartAsync(waitsLater.Id, account)).Text("id")!;
        await suite.PublishAsync(EngineSuiteFixture.TaskCompleted(ended, account, "kickoff", "held"), EngineSuiteFixture.TaskCompleted(waiting, account, "kickoff", "held"));
        await suite.WaitForStatusAsync(ended, "completed");
        Assert.Equal(1, await PendingStimuliAsync(ended));

        var swept = await ParkedOutcomes.SweepAsync(suite.Engine<ServiceDatabase>(), DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

        Assert.True(swept >= 1);
        Assert.Equal(0, await PendingStimuliAsync(ended));
        Assert.Equal(1, await PendingStimuliAsync(waiting));
        Assert.Equal("running", (await suite.InstanceAsync(waiting)).Text("status"));
    }

    [Fact]
    public async Task A_task_outcome_for_a_faulted_run_that_waits_on_the_task_is_kept_and_applied_after_the_retry()
    {
        // One branch waits on the kickoff task; the other faults a moment later on a field the account lacks.
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("faulted-waiting"), ("split", "Fork", new { branches = new[] { "Task", "Check" } }))
            .Activity("kickoff", "CreateTask", new { title = "Kickoff", outcomes = new[] { "held" } })
            .Activity("wait", "WaitForTask", new { task = "kickoff" })
            .Activity("held", "SetVariable", new { name = "result", value = "held" })
            .Activity("pause", "Delay", new { duration = "PT1S" })
            .Activity("check", "If", new { condition = "account.custom.tier.level > 2" })
            .Activity("checked", "SetVariable", new { name = "tier", value = "known" })
            .Variable("result", "string").Variable("tier", "string")
            .Connect("split", "kickoff", "Task").Connect("kickoff", "wait").Connect("wait", "held", "held")
            .Connect("split", "pause", "Check").Connect("pause", "check").Connect("check", "checked", "True").Connect("check", "checked", "False");
        var (account, id) = await StartedAsync(playbook);
        await suite.WaitForStatusAsync(id, "faulted");

        // The CSM holds the kickoff while the run is faulted.
        await suite.PublishAsync(EngineSuiteFixture.TaskCompleted(id, account, "kickoff", "held"));
        Assert.Equal(1, await PendingStimuliAsync(id));

        // The CRM sync adds the field, and CS Ops retry the run: it goes on with the outcome it was given meanwhile.
        await suite.PostJsonAsync("/api/engine/accounts", EngineSuiteFixture.NewAccount(account, a => a["custom"] = new System.Text.Json.Nodes.JsonObject
        {
            ["tier"] = new System.Text.Json.Nodes.JsonObject { ["level"] = 3 },
        }));
        var (retried, _) = await suite.PostJsonAsync($"{EngineSuiteFixture.Instances}/{id}/retry", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, retried.StatusCode);

        var done = await suite.WaitForStatusAsync(id, "completed");
        Assert.Single(done.JournalOf("held"));
        Assert.Equal(0, await PendingStimuliAsync(id));
    }

    [Fact]
    public async Task A_kept_task_outcome_whose_run_waits_on_it_is_applied_by_the_pass_that_hands_kept_outcomes_over()
    {
        // The state a replica leaves when it dies just after the commit that began the wait, before applying the outcome
        // it had kept: the run waits, the outcome is still kept.
        var (account, id) = await StartedAsync(Kickoff());
        await EngineSuiteFixture.EventuallyAsync(() => suite.InstanceAsync(id), i => i.JournalOf("wait").Count > 0, TimeSpan.FromSeconds(5));
        await using (var connection = await suite.Engine<ServiceDatabase>().OpenAsync())
            await connection.ExecuteAsync("INSERT INTO pending_stimuli (id, key, kind, payload, at) VALUES (@id, @key, 'task.completed', @payload, @at)", new
            {
                id = EngineSuiteFixture.Unique("kept"), key = $"task:{id}:kickoff", at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                payload = new System.Text.Json.Nodes.JsonObject { ["outcome"] = "held" }.ToJsonString(),
            });

        var applied = await ParkedOutcomes.DeliverWaitedForAsync(suite.Engine<ServiceDatabase>(), suite.Engine<InstanceRuntime>(), CancellationToken.None);

        Assert.True(applied >= 1);
        var done = await suite.WaitForStatusAsync(id, "completed");
        Assert.Equal("held", done.GetProperty("variables").Text("result"));
        Assert.Equal(0, await PendingStimuliAsync(id));
        Assert.Equal(0, await ParkedOutcomes.DeliverWaitedForAsync(suite.Engine<ServiceDatabase>(), suite.Engine<InstanceRuntime>(), CancellationToken.None));
    }

    [Fact]
    public async Task A_faulted_runs_due_timer_is_left_out_of_the_timer_claims_until_the_run_is_retried()
    {
        // One branch pauses a second; the other faults at once on a field the account lacks.
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("faulted-timer"), ("split", "Fork", new { branches = new[] { "Pause", "Check" } }))
            .Activity("pause", "Delay", new { duration = "PT1S" })
            .Activity("paused", "SetVariable", new { name = "result", value = "paused" })
            .Activity("check", "If", new { condition = "account.custom.tier.level > 2" })
            .Activity("checked", "SetVariable", new { name = "tier", value = "known" })
            .Variable("result", "string").Variable("tier", "string")
            .Connect("split", "pause", "Pause").Connect("pause", "paused")
            .Connect("split", "check", "Check").Connect("check", "checked", "True").Connect("check", "checked", "False");
        var (account, id) = await StartedAsync(playbook);
        await suite.WaitForStatusAsync(id, "faulted");
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        // Due, but it cannot fire before the retry: taken with the due timers, it came first at every poll.
        var due = await suite.Engine<InstanceStore>().ClaimDueTimersAsync(DateTimeOffset.UtcNow, 0, 1_000, CancellationToken.None);
        Assert.DoesNotContain(due.Claimed, timer => timer.InstanceId == id);

        await suite.PostJsonAsync("/api/engine/accounts", EngineSuiteFixture.NewAccount(account, a => a["custom"] = new System.Text.Json.Nodes.JsonObject
        {
            ["tier"] = new System.Text.Json.Nodes.JsonObject { ["level"] = 3 },
        }));
        await suite.PostJsonAsync($"{EngineSuiteFixture.Instances}/{id}/retry", null);
        var done = await suite.WaitForStatusAsync(id, "completed");
        Assert.Equal("paused", done.GetProperty("variables").Text("result"));
    }

    private async Task<int> PendingStimuliAsync(string instanceId)
    {
        await using var connection = await suite.Engine<ServiceDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM pending_stimuli WHERE key LIKE @key", new { key = $"task:{instanceId}:%" });
    }
}
