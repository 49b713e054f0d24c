using System.Net;
using Playbooks.Engine.Tests.Support;
using Xunit;

namespace Playbooks.Engine.Tests.Expressions;

/// <summary>A bad or endless expression faults only its activity, with the reason in the journal; retry runs it again.</summary>
[Collection(EngineSuiteCollection.Name)]
public sealed class ExpressionFaultTests(EngineSuiteFixture suite)
{
    private static Playbook Checking(string condition) =>
        Playbook.Chain(EngineSuiteFixture.Unique("check"), ("check", "If", new { condition }))
            .Activity("yes", "End").Activity("no", "End")
            .Connect("check", "yes", "True").Connect("check", "no", "False");

    [Fact]
    public async Task An_endless_expression_faults_only_its_activity_and_the_suite_keeps_serving()
    {
        var playbook = Checking("while (true) {} true");
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();

        var instance = await suite.StartAsync(playbook.Id, account);

        Assert.Equal("faulted", instance.Text("status"));
        var fault = instance.GetProperty("fault");
        Assert.Equal("check", fault.Text("activityId"));
        Assert.Equal("Expression stopped after 10,000 statements (an endless loop?): while (true) {} true", fault.Text("message"));
        var journaled = Assert.Single(instance.JournalOf("check"));
        Assert.Equal(("faulted", fault.Text("message")), (journaled.Text("status"), journaled.Text("error")));
        Assert.Equal(HttpStatusCode.OK, (await suite.Client.GetAsync("/api/engine/health/ready")).StatusCode);
        var healthy = Checking("account.healthScore < 60");
        await suite.CreatePublishedAsync(healthy);
        Assert.Equal("completed", (await suite.StartAsync(healthy.Id, account)).Text("status"));
    }

    [Fact]
    public async Task Deep_recursion_faults_the_activity_with_the_limit_in_the_reason()
    {
        var playbook = Checking("function deeper(n) { return deeper(n + 1); } deeper(0)");
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();

        var instance = await suite.StartAsync(playbook.Id, account);

        Assert.Equal("faulted", instance.Text("status"));
        Assert.StartsWith("Expression recursed deeper than 64 calls", instance.GetProperty("fault").Text("message"));
    }

    [Fact]
    public async Task An_expression_reaching_for_the_CLR_faults_because_System_is_undefined()
    {
        var playbook = Checking("System.Environment.Exit(1)");
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();

        var instance = await suite.StartAsync(playbook.Id, account);

        Assert.Equal("Expression failed: System is not defined in System.Environment.Exit(1)", instance.GetProperty("fault").Text("message"));
    }

    [Fact]
    public async Task A_faulted_condition_is_retried_after_the_missing_account_field_is_added()
    {
        var playbook = Checking("account.custom.tier.level > 2");
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        var instance = await suite.StartAsync(playbook.Id, account);
        var id = instance.Text("id")!;
        Assert.Equal("faulted", instance.Text("status"));

        var (again, stillFaulted) = await suite.PostJsonAsync($"{EngineSuiteFixture.Instances}/{id}/retry", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("faulted", stillFaulted.Text("status"));
        Assert.Equal(["faulted", "faulted"], stillFaulted.JournalOf("check").Select(j => j.Text("status")));

        // The CRM sync adds the field the condition reads; a retry now takes the branch.
        await suite.PostJsonAsync("/api/engine/accounts", EngineSuiteFixture.NewAccount(account, a => a["custom"] = new System.Text.Json.Nodes.JsonObject
        {
            ["tier"] = new System.Text.Json.Nodes.JsonObject { ["level"] = 3 },
        }));
        var (fixedResponse, completed) = await suite.PostJsonAsync($"{EngineSuiteFixture.Instances}/{id}/retry", null);

        Assert.Equal(HttpStatusCode.OK, fixedResponse.StatusCode);
        Assert.Equal("completed", completed.Text("status"));
        Assert.Equal(["faulted", "faulted", "completed"], completed.JournalOf("check").Select(j => j.Text("status")));
        Assert.Equal("True", completed.JournalOf("check")[^1].Text("outcome"));
        Assert.Equal(2, completed.Items("journal").Count(j => j.Text("status") == "retried"));
        Assert.Single(completed.JournalOf("yes"));
    }

    [Fact]
    public async Task Retrying_a_run_that_is_not_faulted_is_a_conflict()
    {
        var playbook = Checking("true");
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        var instance = await suite.StartAsync(playbook.Id, account);

        var (response, problem) = await suite.PostJsonAsync($"{EngineSuiteFixture.Instances}/{instance.Text("id")}/retry", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal($"Instance '{instance.Text("id")}' is completed, not faulted.", problem.Text("detail"));
    }
}
