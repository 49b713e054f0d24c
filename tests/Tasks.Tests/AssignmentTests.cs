using System.Net;
using Playbooks.Messaging.Contracts;
using Xunit;

namespace Playbooks.Tasks.Tests;

public sealed class AssignmentTests(TasksSuite suite) : IClassFixture<TasksSuite>
{
    [Fact]
    public async Task Owner_rule_assigns_the_accounts_owner_csm()
    {
        var account = Requests.Account(owner: "olivia@example.com");

        var task = await suite.RequestTaskAsync(Requests.Task(account, new AssigneeRule("owner")));

        Assert.Equal("olivia@example.com", task.Task.Assignee);
    }

    [Fact]
    public async Task Manager_rule_assigns_the_owners_manager()
    {
        var account = Requests.Account(owner: "olivia@example.com", manager: "mark.manager@example.com");

        var task = await suite.RequestTaskAsync(Requests.Task(account, new AssigneeRule("manager")));

        Assert.Equal("mark.manager@example.com", task.Task.Assignee);
        Assert.Contains("CSM manager of Acme Corp", task.History[0].Detail);
    }

    [Fact]
    public async Task User_rule_assigns_the_named_user()
    {
        var task = await suite.RequestTaskAsync(Requests.Task(assignee: new AssigneeRule("user", User: "una.user@example.com")));

        Assert.Equal("una.user@example.com", task.Task.Assignee);
    }

    [Fact]
    public async Task Owner_rule_on_an_account_without_owner_leaves_the_task_unassigned_in_the_team_and_says_why()
    {
        var account = Requests.Account(team: "smb") with { OwnerCsm = null };

        var task = await suite.RequestTaskAsync(Requests.Task(account, new AssigneeRule("owner")));

        Assert.Null(task.Task.Assignee);
        Assert.Equal("smb", task.Task.Team);
        Assert.Contains("has no owner CSM", task.History[0].Detail);
    }

    [Fact]
    public async Task Queue_rule_with_round_robin_takes_members_in_turn()
    {
        var queue = Requests.Unique("onboarding");
        await PutQueueAsync(queue, "ada@example.com", "bo@example.com", "cy@example.com");
        var rule = new AssigneeRule("queue", Queue: queue, Strategy: "round-robin");

        var assignees = new List<string?>();
        for (var i = 0; i < 4; i++) assignees.Add((await suite.RequestTaskAsync(Requests.Task(assignee: rule))).Task.Assignee);

        Assert.Equal(["ada@example.com", "bo@example.com", "cy@example.com", "ada@example.com"], assignees);
    }

    [Fact]
    public async Task Queue_rule_with_least_loaded_picks_the_member_with_fewest_open_tasks()
    {
        var queue = Requests.Unique("renewals");
        var busy = $"{Requests.Unique("busy")}@example.com";
        var idle = $"{Requests.Unique("idle")}@example.com";
        await PutQueueAsync(queue, busy, idle);
        for (var i = 0; i < 2; i++) await suite.RequestTaskAsync(Requests.Task(assignee: new AssigneeRule("user", User: busy)));
        var rule = new AssigneeRule("queue", Queue: queue, Strategy: "least-loaded");

        var assignees = new List<string?>();
        for (var i = 0; i < 3; i++) assignees.Add((await suite.RequestTaskAsync(Requests.Task(assignee: rule))).Task.Assignee);

        // idle: 0 → 1 → 2 open tasks; busy has 2, so the tie at 2 goes to busy, who has waited longest for a turn.
        Assert.Equal([idle, idle, busy], assignees);
        Assert.Equal(queue, (await suite.ListAsync($"assignee={idle}")).Items[0].Team);
    }

    [Fact]
    public async Task Queue_rule_naming_a_queue_that_does_not_exist_leaves_the_task_in_that_queue_unassigned()
    {
        var queue = Requests.Unique("nobody-home");

        var task = await suite.RequestTaskAsync(Requests.Task(assignee: new AssigneeRule("queue", Queue: queue)));

        Assert.Null(task.Task.Assignee);
        Assert.Equal(queue, task.Task.Team);
        Assert.Contains($"PUT /api/tasks/queues/{queue}", task.History[0].Detail);
    }

    [Fact]
    public async Task Queue_members_can_be_replaced_and_read_back_with_their_load()
    {
        var queue = Requests.Unique("support");
        await PutQueueAsync(queue, "ada@example.com", "bo@example.com");

        var (response, body) = await suite.SendAsync(HttpMethod.Put, $"/api/tasks/queues/{queue}", new { members = new[] { "Bo@Example.com", "dee@example.com" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var read = await suite.GetJsonAsync($"/api/tasks/queues/{queue}");
        Assert.Equal(["bo@example.com", "dee@example.com"], read.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("user").GetString()));
        Assert.Equal(body.GetProperty("updatedBy").GetString(), read.GetProperty("updatedBy").GetString());
        Assert.Contains(queue, (await suite.GetJsonAsync("/api/tasks/queues")).EnumerateArray().Select(q => q.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("Bad Name!", "ada@example.com", "name")]
    [InlineData("fine", "", "members")]
    public async Task Queue_with_a_bad_name_or_member_is_rejected_saying_what_to_fix(string name, string member, string field)
    {
        var (response, body) = await suite.SendAsync(HttpMethod.Put, $"/api/tasks/queues/{Uri.EscapeDataString(name)}", new { members = new[] { member } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [Fact]
    public async Task Reassigning_a_task_keeps_who_had_it_before_in_the_history()
    {
        var task = await suite.RequestTaskAsync(Requests.Task(Requests.Account(owner: "olivia@example.com")));

        var (response, _) = await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Task.Id}/reassign",
            new { assignee = "pat@example.com", reason = "Olivia is on leave" }, user: "lead@example.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await suite.GetTaskAsync(task.Task.Id);
        Assert.Equal("pat@example.com", after.Task.Assignee);
        var entry = after.History.Single(h => h.Kind == "reassigned");
        Assert.Equal("olivia@example.com", entry.From);
        Assert.Equal("pat@example.com", entry.To);
        Assert.Equal("lead@example.com", entry.Actor);
        Assert.Contains("Olivia is on leave", entry.Detail);
    }

    private async Task PutQueueAsync(string queue, params string[] members)
    {
        var (response, body) = await suite.SendAsync(HttpMethod.Put, $"/api/tasks/queues/{queue}", new { members });
        Assert.True(response.IsSuccessStatusCode, body.ToString());
    }
}
