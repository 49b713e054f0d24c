using System.Net;
using System.Text.Json;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Workflows.Tests;

/// <summary>The shipped playbooks running for real: events in through the gateway, tasks in the CSM's inbox, outcomes back.</summary>
public sealed class ShippedPlaybooksInTheSuite(ShippedSuiteFixture suite) : IClassFixture<ShippedSuiteFixture>
{
    private const string Csm = "aiko@example.com";

    [Fact]
    public async Task The_four_playbooks_are_published_at_start_up()
    {
        var list = await suite.GetJsonAsync("/api/engine/definitions");

        var published = list.EnumerateArray().Where(d => d.GetProperty("status").GetString() == "published").Select(d => d.GetProperty("definitionId").GetString()).ToList();
        Assert.Equal(["adoption-nudges", "incident-response", "kickoff", "renewal-outreach"], published.Order());
    }

    [Fact]
    public async Task Kickoff_runs_end_to_end_from_a_signed_contract_to_the_success_plan()
    {
        await UpsertAccountAsync("kickoff-e2e");
        await PostEventAsync(new { id = "kickoff-e2e-signed", type = "contract.signed", accountId = "kickoff-e2e" });

        var hold = await SingleTaskAsync("kickoff-e2e", "Hold kickoff");
        Assert.Equal(["held", "rescheduled", "no-show"], hold.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()));
        var (completed, _) = await suite.PostJsonAsync($"/api/tasks/{hold.GetProperty("id").GetString()}/complete", new { outcome = "held", note = "Went well" });
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);

        await SingleTaskAsync("kickoff-e2e", "Agree success plan");
        var instances = await suite.GetJsonAsync("/api/engine/instances?definitionId=kickoff&accountId=kickoff-e2e");
        var instance = await suite.GetJsonAsync($"/api/engine/instances/{instances.GetProperty("items")[0].GetProperty("id").GetString()}");
        Assert.Contains(instance.GetProperty("journal").EnumerateArray(), j => j.GetProperty("activityId").GetString() == "kickoffOutcome" && j.GetProperty("outcome").GetString() == "held");
        Assert.Equal("waitFirstValue", instance.GetProperty("waits")[0].GetProperty("activityId").GetString());
    }

    [Fact]
    public async Task Adoption_nudges_snooze_themselves_for_the_account_after_a_run()
    {
        await UpsertAccountAsync("nudged");
        await PostEventAsync(new { id = "nudged-drop-1", type = "usage.dropped", accountId = "nudged" });
        await PostEventAsync(new { id = "nudged-recovered", type = "usage.recovered", accountId = "nudged" });
        await SuiteFixture.EventuallyAsync(() => RunsAsync("nudged"), runs => runs.Count == 1 && runs[0] == "completed");

        await PostEventAsync(new { id = "nudged-drop-2", type = "usage.dropped", accountId = "nudged" });
        await SuiteFixture.EventuallyAsync(() => suite.GetJsonAsync("/api/engine/events/nudged-drop-2"), e => e.GetProperty("status").GetString() == "processed");

        Assert.Equal(["completed"], await RunsAsync("nudged"));
    }

    private async Task<IReadOnlyList<string>> RunsAsync(string accountId)
    {
        var page = await suite.GetJsonAsync($"/api/engine/instances?definitionId=adoption-nudges&accountId={accountId}");
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("status").GetString()!).ToList();
    }

    private async Task<JsonElement> SingleTaskAsync(string accountId, string titleStart)
    {
        var page = await SuiteFixture.EventuallyAsync(
            () => suite.GetJsonAsync($"/api/tasks?assignee={Uri.EscapeDataString(Csm)}&account={accountId}"),
            p => p.GetProperty("items").EnumerateArray().Any(t => t.GetProperty("title").GetString()!.StartsWith(titleStart, StringComparison.Ordinal)));
        return page.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("title").GetString()!.StartsWith(titleStart, StringComparison.Ordinal));
    }

    private async Task UpsertAccountAsync(string id)
    {
        var (response, body) = await suite.PostJsonAsync("/api/engine/accounts", new
        {
            id, name = "Acme", ownerCsm = Csm, csmManager = "ken@example.com", segment = "smb", healthScore = 75, timeZone = "UTC",
            contacts = new[] { new { name = "Ann", email = "ann@acme.test", role = "admin" } },
        });
        Assert.True(response.IsSuccessStatusCode, body.ToString());
    }

    private async Task PostEventAsync(object accountEvent)
    {
        var (response, body) = await suite.PostJsonAsync("/api/engine/events", accountEvent);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToString());
    }
}
