using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Playbooks.Engine.Tests.Support;
using Xunit;
using static Playbooks.Engine.Tests.Triggers.TriggerTestSupport;

namespace Playbooks.Engine.Tests.Triggers;

[Collection(EngineSuiteCollection.Name)]
public sealed class AccountTriggerTests(EngineSuiteFixture suite)
{
    [Fact]
    public async Task A_threshold_trigger_fires_when_the_field_crosses_the_line_not_on_every_update()
    {
        var field = $"nps{Guid.NewGuid().ToString("N")[..6]}";
        var id = await suite.CreatePublishedAsync(Playbook.Chain(EngineSuiteFixture.Unique("below"), ("end", "End", null))
            .Trigger(new { kind = "threshold", field, direction = "below", value = 30 })
            .Enrolment(new { maxActivePerAccount = 10 }));
        var account = EngineSuiteFixture.NewAccount(EngineSuiteFixture.Unique("acct"));

        foreach (var score in new[] { 50, 40, 20, 10, 45, 25 }) // crossings: 40→20 and 45→25
        {
            account["custom"] = new System.Text.Json.Nodes.JsonObject { [field] = score };
            await UpsertAsync(suite, account);
        }

        var runs = await RunsEventuallyAsync(suite, id, 2, account["id"]!.GetValue<string>());
        await Task.Delay(500);
        Assert.Equal(2, (await RunsAsync(suite, id, account["id"]!.GetValue<string>())).Count);
    }

    [Fact]
    public async Task A_health_changed_event_updates_the_account_and_can_cross_a_threshold()
    {
        var id = await suite.CreatePublishedAsync(Playbook.Chain(EngineSuiteFixture.Unique("health"), ("end", "End", null))
            .Trigger(new { kind = "threshold", field = "healthScore", direction = "below", value = 60 }));
        var account = await suite.AddAccountAsync(a => a["healthScore"] = 80);

        await PostEventsAsync(suite, new { id = EngineSuiteFixture.Unique("h"), type = "health.changed", accountId = account, data = new { healthScore = 55 } });

        Assert.Single(await RunsEventuallyAsync(suite, id, 1, account));
        var stored = await suite.GetJsonAsync($"/api/engine/accounts/{account}");
        Assert.Equal(55, stored.GetProperty("healthScore").GetInt32());
    }

    [Fact]
    public async Task A_csv_import_keeps_the_good_rows_and_reports_each_bad_row_with_its_reason()
    {
        var prefix = EngineSuiteFixture.Unique("csv");
        var csv = $""""
            id,name,ownerCsm,segment,arr,renewalDate,healthScore,contactName,contactEmail,contactRole,region
            {prefix}-1,Acme,aiko@example.com,smb,12000,2027-03-31,70,Ann,ann@acme.example,admin,APAC
            {prefix}-1,Acme,aiko@example.com,smb,12000,2027-03-31,70,Cho,cho@acme.example,champion,APAC
            {prefix}-2,,aiko@example.com,smb,abc,2027-31-03,70,,,,EMEA
            {prefix}-3,"Globex, Inc.",ken@example.com,enterprise,900000,2027-01-15,101,Gil,gil-at-globex,admin,NA
            {prefix}-4,"Initech ""West""",ken@example.com,enterprise,50000,,40,,,,NA
            """";
        using var content = new StringContent(csv, Encoding.UTF8, new MediaTypeHeaderValue("text/csv"));

        var response = await suite.Client.PostAsync("/api/engine/accounts/import", content);
        var report = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, report.GetProperty("imported").GetInt32());
        var rejected = report.Items("rejected");
        Assert.Equal([4, 5], rejected.Select(r => r.GetProperty("row").GetInt32()));
        var row4 = string.Join(" | ", rejected[0].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("arr 'abc' is not a number", row4);
        Assert.Contains("renewalDate '2027-31-03'", row4);
        var row5 = string.Join(" | ", rejected[1].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("health score is between 0 and 100", row5);
        Assert.Contains("'gil-at-globex' is not an email address", row5);

        var acme = await suite.GetJsonAsync($"/api/engine/accounts/{prefix}-1");
        Assert.Equal(2, acme.GetProperty("contacts").GetArrayLength());
        Assert.Equal("APAC", acme.GetProperty("custom").GetProperty("region").GetString());
        var initech = await suite.GetJsonAsync($"/api/engine/accounts/{prefix}-4");
        Assert.Equal("Initech \"West\"", initech.Text("name"));
    }

    [Fact]
    public async Task An_import_that_is_not_csv_or_lacks_the_id_column_is_refused()
    {
        using var noId = new StringContent("name,segment\nAcme,smb\n", Encoding.UTF8, new MediaTypeHeaderValue("text/csv"));
        var response = await suite.Client.PostAsync("/api/engine/accounts/import", noId);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("lacks id", await response.Content.ReadAsStringAsync());
    }
}
