using System.Net;
using System.Text.Json;
using Playbooks.ServiceDefaults.Security;
using Xunit;

namespace Playbooks.Tasks.Tests;

/// <summary>A CSM sees and works their own tasks and their team's, never another team's; CS Ops see every task.</summary>
public sealed class VisibilityTests(TasksSuite suite) : IClassFixture<TasksSuite>
{
    private readonly TwoTeams _csms = new();

    [Fact]
    public async Task A_csm_lists_their_own_and_their_teams_tasks_only()
    {
        var (alices, carols, bobs) = await ThreeTasksAsync();

        var (response, body) = await suite.SendAsync(HttpMethod.Get, "/api/tasks?pageSize=200", null, _csms.Alice, Roles.Csm, _csms.Enterprise);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = Ids(body);
        Assert.Contains(alices, ids);
        Assert.Contains(carols, ids); // a teammate's
        Assert.DoesNotContain(bobs, ids);
        Assert.All(body.GetProperty("items").EnumerateArray(), t => Assert.True(
            t.GetProperty("assignee").GetString() == _csms.Alice || t.GetProperty("team").GetString() == _csms.Enterprise));

        // Asking for another CSM by name does not widen the view either.
        (_, body) = await suite.SendAsync(HttpMethod.Get, $"/api/tasks?assignee={_csms.Bob}", null, _csms.Alice, Roles.Csm, _csms.Enterprise);
        Assert.Empty(Ids(body));
    }

    [Fact]
    public async Task A_csm_cannot_read_or_work_another_teams_task()
    {
        var (_, _, bobs) = await ThreeTasksAsync();

        var (read, problem) = await suite.SendAsync(HttpMethod.Get, $"/api/tasks/{bobs}", null, _csms.Alice, Roles.Csm, _csms.Enterprise);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal("Not your task", problem.GetProperty("title").GetString());

        var (complete, _) = await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{bobs}/complete", new { outcome = "held" }, _csms.Alice, Roles.Csm, _csms.Enterprise);
        Assert.Equal(HttpStatusCode.Forbidden, complete.StatusCode);
        var (comment, _) = await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{bobs}/comments", new { text = "mine now" }, _csms.Alice, Roles.Csm, _csms.Enterprise);
        Assert.Equal(HttpStatusCode.Forbidden, comment.StatusCode);
        var (team, _) = await suite.SendAsync(HttpMethod.Get, $"/api/tasks?team={_csms.Smb}", null, _csms.Alice, Roles.Csm, _csms.Enterprise);
        Assert.Equal(HttpStatusCode.Forbidden, team.StatusCode);

        // Nothing changed: the task is still open for its owner.
        var (own, task) = await suite.SendAsync(HttpMethod.Get, $"/api/tasks/{bobs}", null, _csms.Bob, Roles.Csm, _csms.Smb);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("open", task.GetProperty("task").GetProperty("status").GetString());
        Assert.Empty(task.GetProperty("comments").EnumerateArray());
    }

    [Fact]
    public async Task A_csm_works_a_teammates_task_and_cs_ops_see_every_team()
    {
        var (alices, carols, bobs) = await ThreeTasksAsync();

        var (complete, done) = await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{carols}/complete", new { outcome = "held" }, _csms.Alice, Roles.Csm, _csms.Enterprise);
        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        Assert.Equal(_csms.Alice, done.GetProperty("task").GetProperty("closedBy").GetString());

        var (_, all) = await suite.SendAsync(HttpMethod.Get, "/api/tasks?pageSize=200", null, "lead@example.com", Roles.CsOps);
        Assert.Contains(alices, Ids(all));
        Assert.Contains(bobs, Ids(all));
    }

    private async Task<(string Alices, string Carols, string Bobs)> ThreeTasksAsync()
    {
        var alices = await suite.RequestTaskAsync(Requests.Task(Requests.Account(owner: _csms.Alice, team: _csms.Enterprise)));
        // The CRM spells the team its own way; the token's team matches it case-blind.
        var carols = await suite.RequestTaskAsync(Requests.Task(Requests.Account(owner: _csms.Carol, team: _csms.Enterprise.ToUpperInvariant())));
        var bobs = await suite.RequestTaskAsync(Requests.Task(Requests.Account(owner: _csms.Bob, team: _csms.Smb)));
        return (alices.Task.Id, carols.Task.Id, bobs.Task.Id);
    }

    private static List<string> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();
}
