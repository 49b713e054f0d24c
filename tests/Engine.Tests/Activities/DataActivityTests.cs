using Playbooks.Engine.Tests.Support;
using Xunit;

namespace Playbooks.Engine.Tests.Activities;

/// <summary>SetVariable and UpdateAccount: what a run remembers and what it changes on the account.</summary>
[Collection(EngineSuiteCollection.Name)]
public sealed class DataActivityTests(EngineSuiteFixture suite)
{
    [Fact]
    public async Task SetVariable_sets_a_declared_variable_that_later_activities_read()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("set-variable"),
                ("count", "SetVariable", new { name = "noShows", value = new { js = "vars.noShows + 1" } }),
                ("label", "SetVariable", new { name = "label", value = new { js = "'no-shows: ' + vars.noShows" } }))
            .Variable("noShows", "number", 1)
            .Variable("label", "string");
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();

        var instance = await suite.StartAsync(playbook.Id, account);

        Assert.Equal("completed", instance.Text("status"));
        Assert.Equal(2, instance.GetProperty("variables").GetProperty("noShows").GetInt32());
        Assert.Equal("no-shows: 2", instance.GetProperty("variables").Text("label"));
        Assert.Equal(2, instance.JournalOf("count")[0].GetProperty("output").GetInt32());
    }

    [Fact]
    public async Task Variables_given_at_start_override_the_defaults()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("start-variables"),
                ("check", "If", new { condition = "vars.nudges > 2" }))
            .Variable("nudges", "number", 0)
            .Activity("many", "End").Activity("few", "End")
            .Connect("check", "many", "True").Connect("check", "few", "False");
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();

        var instance = await suite.StartAsync(playbook.Id, account, new { nudges = 5 });

        Assert.Single(instance.JournalOf("many"));
    }

    [Fact]
    public async Task SetVariable_of_an_undeclared_variable_is_refused_at_publish()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("undeclared"), ("count", "SetVariable", new { name = "tries", value = 1 }));

        var created = await suite.CreateAsync(playbook);

        var problem = Assert.Single(created.Items("problems"));
        Assert.Equal(("$.activities[1].inputs", "variable 'tries' is not declared; add it under variables"), (problem.Text("path"), problem.Text("message")));
    }

    [Fact]
    public async Task UpdateAccount_changes_the_account_field_and_later_activities_see_it()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("update-account"),
            ("adopted", "UpdateAccount", new { field = "lifecycleStage", value = "adopted" }),
            ("tier", "UpdateAccount", new { field = "successTier", value = new { js = "account.lifecycleStage == 'adopted' ? 'gold' : 'none'" } }));
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();

        var instance = await suite.StartAsync(playbook.Id, account);

        Assert.Equal("completed", instance.Text("status"));
        var stored = await suite.GetJsonAsync($"/api/engine/accounts/{account}");
        Assert.Equal("adopted", stored.Text("lifecycleStage"));
        Assert.Equal("gold", stored.GetProperty("custom").Text("successTier"));
        Assert.Equal("Acme K.K.", stored.Text("name"));
    }

    [Fact]
    public async Task UpdateAccount_of_the_segment_moves_the_account_in_the_segment_list()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("update-segment"), ("move", "UpdateAccount", new { field = "segment", value = "strategic" }));
        await suite.CreatePublishedAsync(playbook);
        var name = EngineSuiteFixture.Unique("Segment mover");
        var account = await suite.AddAccountAsync(a => a["name"] = name);

        await suite.StartAsync(playbook.Id, account);

        var strategic = await suite.GetJsonAsync($"/api/engine/accounts?segment=strategic&search={name}");
        Assert.Equal([account], strategic.Items("items").Select(a => a.Text("id")));
        var enterprise = await suite.GetJsonAsync($"/api/engine/accounts?segment=enterprise&search={name}");
        Assert.Empty(enterprise.Items("items"));
    }

    [Fact]
    public async Task UpdateAccount_may_not_change_the_account_id()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("update-id"), ("rename", "UpdateAccount", new { field = "id", value = "someone-else" }));
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();

        var instance = await suite.StartAsync(playbook.Id, account);

        Assert.Equal("faulted", instance.Text("status"));
        Assert.Equal("'id' cannot be changed by a playbook.", instance.GetProperty("fault").Text("message"));
        Assert.Equal(account, (await suite.GetJsonAsync($"/api/engine/accounts/{account}")).Text("id"));
    }
}
