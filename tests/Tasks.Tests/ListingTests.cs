using System.Net;
using Playbooks.Messaging.Contracts;
using Xunit;

namespace Playbooks.Tasks.Tests;

public sealed class ListingTests(TasksSuite suite) : IClassFixture<TasksSuite>
{
    private static readonly DateTimeOffset Start = TasksSuite.Start;

    [Fact]
    public async Task Listing_filters_by_assignee_status_due_range_account_and_priority()
    {
        var csm = $"{Requests.Unique("csm")}@example.com";
        var account = Requests.Account(owner: csm);
        var other = Requests.Account(owner: csm);
        var soon = await Create(account, Start.AddDays(1), "high");
        var later = await Create(account, Start.AddDays(10), "low");
        var elsewhere = await Create(other, Start.AddDays(2), "high");
        var someoneElse = await Create(Requests.Account(), Start.AddDays(1), "high");
        await suite.SendAsync(HttpMethod.Post, $"/api/tasks/{later}/snooze", new { until = Start.AddDays(5) });

        Assert.Equal([soon, elsewhere, later], await Ids($"assignee={csm}"));
        Assert.Equal([soon, elsewhere], await Ids($"assignee={csm}&status=open"));
        Assert.Equal([later], await Ids($"assignee={csm}&status=snoozed"));
        Assert.Equal([soon, elsewhere, later], await Ids($"assignee={csm}&status=open,snoozed"));
        Assert.Equal([elsewhere], await Ids($"assignee={csm}&dueFrom={Q(Start.AddDays(1.5))}&dueTo={Q(Start.AddDays(9))}"));
        Assert.Equal([soon, later], await Ids($"assignee={csm}&account={account.Id}"));
        Assert.Equal([soon, elsewhere], await Ids($"assignee={csm}&priority=high"));
        Assert.Equal([someoneElse], await Ids($"account={(await suite.GetTaskAsync(someoneElse)).Task.AccountId}"));
    }

    [Fact]
    public async Task Assignee_me_lists_the_callers_own_tasks()
    {
        var csm = $"{Requests.Unique("me")}@example.com";
        var mine = await Create(Requests.Account(owner: csm), Start.AddDays(1), "normal");

        var (response, body) = await suite.SendAsync(HttpMethod.Get, "/api/tasks?assignee=me", null, user: csm);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([mine], body.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Overdue_filter_lists_only_tasks_past_due()
    {
        var csm = $"{Requests.Unique("csm")}@example.com";
        var account = Requests.Account(owner: csm);
        var late = await Create(account, Start.AddHours(-1), "normal");
        var onTime = await Create(account, Start.AddDays(1), "normal");

        await SuiteFixtureEventually(() => Ids($"assignee={csm}&overdue=true"), ids => ids.SequenceEqual([late]));
        Assert.Equal([onTime], await Ids($"assignee={csm}&overdue=false"));
    }

    [Fact]
    public async Task Listing_sorts_by_due_priority_or_creation()
    {
        var csm = $"{Requests.Unique("csm")}@example.com";
        var account = Requests.Account(owner: csm);
        var a = await Create(account, Start.AddDays(3), "low");
        var b = await Create(account, Start.AddDays(1), "normal");
        var c = await Create(account, Start.AddDays(2), "urgent");
        var d = await Create(account, null, "high");

        Assert.Equal([b, c, a, d], await Ids($"assignee={csm}"));
        Assert.Equal([b, c, a, d], await Ids($"assignee={csm}&sort=due"));
        Assert.Equal([a, c, b, d], await Ids($"assignee={csm}&sort=-due"));
        Assert.Equal([c, d, b, a], await Ids($"assignee={csm}&sort=priority"));
        Assert.Equal([a, b, d, c], await Ids($"assignee={csm}&sort=-priority"));
        Assert.Equal([a, b, c, d], await Ids($"assignee={csm}&sort=created"));
        Assert.Equal([d, c, b, a], await Ids($"assignee={csm}&sort=-created"));
    }

    [Fact]
    public async Task Listing_pages_and_reports_the_total()
    {
        var csm = $"{Requests.Unique("csm")}@example.com";
        var account = Requests.Account(owner: csm);
        var ids = new List<string>();
        for (var day = 1; day <= 5; day++) ids.Add(await Create(account, Start.AddDays(day), "normal"));

        var second = await suite.ListAsync($"assignee={csm}&pageSize=2&page=2");
        var last = await suite.ListAsync($"assignee={csm}&pageSize=2&page=3");

        Assert.Equal(5, second.Total);
        Assert.Equal(ids[2..4], second.Items.Select(t => t.Id));
        Assert.Equal(2, second.PageSize);
        Assert.Equal(ids[4..], last.Items.Select(t => t.Id));
    }

    [Theory]
    [InlineData("status=finished", "status", "open, snoozed, done, cancelled")]
    [InlineData("priority=p1", "priority", "urgent, high, normal, low")]
    [InlineData("sort=title", "sort", "due, -due, priority")]
    [InlineData("pageSize=1000", "pageSize", "1 to 200")]
    public async Task Listing_with_an_unknown_filter_value_is_rejected_naming_the_allowed_ones(string query, string field, string allowed)
    {
        var response = await suite.Client.GetAsync($"/api/tasks?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains($"\"{field}\"", body);
        Assert.Contains(allowed, body);
    }

    private async Task<string> Create(AccountSnapshot account, DateTimeOffset? due, string priority) =>
        (await suite.RequestTaskAsync(Requests.Task(account, due: due, priority: priority) with { DueAt = due })).Task.Id;

    private async Task<List<string>> Ids(string query) => (await suite.ListAsync(query)).Items.Select(t => t.Id).ToList();

    private static string Q(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O"));

    private static Task<List<string>> SuiteFixtureEventually(Func<Task<List<string>>> probe, Func<List<string>, bool> condition) =>
        TestSupport.SuiteFixture.EventuallyAsync(probe, condition);
}
