using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Playbooks.Engine.Tests.Support;
using Playbooks.Messaging.Contracts;
using Xunit;

namespace Playbooks.Engine.Tests.Definitions;

/// <summary>Drafts change freely; publishing freezes a numbered version; runs keep the version they started on.</summary>
[Collection(EngineSuiteCollection.Name)]
public sealed class VersioningTests(EngineSuiteFixture suite)
{
    private static Playbook Kickoff(string id, string title = "Hold kickoff with {{ account.name }}") =>
        Playbook.Chain(id,
            ("kickoff", "CreateTask", new { title, outcomes = new[] { "held", "no-show" } }),
            ("wait", "WaitForTask", new { task = "kickoff" }))
        .Activity("end", "End")
        .Connect("wait", "end", "held")
        .Connect("wait", "end", "no-show");

    private Task<HttpResponseMessage> PutAsync(Playbook playbook) =>
        suite.Client.PutAsJsonAsync($"{EngineSuiteFixture.Definitions}/{playbook.Id}", playbook.ToJson(), EngineSuiteFixture.Json);

    [Fact]
    public async Task A_draft_is_created_then_updated_in_place_without_making_a_version()
    {
        var id = EngineSuiteFixture.Unique("draft");
        await suite.CreateAsync(Kickoff(id));

        var response = await PutAsync(Kickoff(id, "Kickoff call"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var draft = await suite.GetJsonAsync($"{EngineSuiteFixture.Definitions}/{id}");
        Assert.Equal("Kickoff call", draft.GetProperty("definition").Items("activities")[1].GetProperty("inputs").Text("title"));
        Assert.Null(draft.GetProperty("definition").Text("version"));
        Assert.Empty(draft.Items("problems"));
        Assert.Equal(0, (await suite.GetJsonAsync($"{EngineSuiteFixture.Definitions}/{id}/versions")).GetArrayLength());
    }

    [Fact]
    public async Task Updating_a_playbook_that_does_not_exist_is_not_found()
    {
        var response = await PutAsync(Kickoff(EngineSuiteFixture.Unique("missing")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Each_publish_makes_the_next_immutable_version_with_its_note()
    {
        var id = EngineSuiteFixture.Unique("versions");
        await suite.CreateAsync(Kickoff(id));

        var (first, v1) = await suite.PostJsonAsync($"{EngineSuiteFixture.Definitions}/{id}/publish", new { note = "First cut" });
        await PutAsync(Kickoff(id, "Kickoff call"));
        var (_, v2) = await suite.PostJsonAsync($"{EngineSuiteFixture.Definitions}/{id}/publish", new { note = "Shorter title" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, v1.GetProperty("version").GetInt32());
        Assert.Equal("First cut", v1.Text("note"));
        Assert.Equal(2, v2.GetProperty("version").GetInt32());

        var versions = await suite.GetJsonAsync($"{EngineSuiteFixture.Definitions}/{id}/versions");
        Assert.Equal([2, 1], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(["Shorter title", "First cut"], versions.EnumerateArray().Select(v => v.Text("note")));
        Assert.Equal([true, false], versions.EnumerateArray().Select(v => v.GetProperty("isPublished").GetBoolean()));

        var version1 = (await suite.GetJsonAsync($"{EngineSuiteFixture.Definitions}/{id}?version=1")).GetProperty("definition");
        Assert.Equal(1, version1.GetProperty("version").GetInt32());
        Assert.Equal("Hold kickoff with {{ account.name }}", version1.Items("activities")[1].GetProperty("inputs").Text("title"));
        var version2 = (await suite.GetJsonAsync($"{EngineSuiteFixture.Definitions}/{id}?version=2")).GetProperty("definition");
        Assert.Equal("Kickoff call", version2.Items("activities")[1].GetProperty("inputs").Text("title"));
    }

    [Fact]
    public async Task Asking_for_a_version_that_was_never_published_is_not_found()
    {
        var id = EngineSuiteFixture.Unique("no-such-version");
        await suite.CreatePublishedAsync(Kickoff(id));

        var response = await suite.Client.GetAsync($"{EngineSuiteFixture.Definitions}/{id}?version=7");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("has no version 7", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_diff_of_two_versions_names_what_changed()
    {
        var id = EngineSuiteFixture.Unique("diff");
        await suite.CreatePublishedAsync(Kickoff(id));
        var changed = Kickoff(id, "Kickoff call").Activity("welcome", "SendNotification",
            new { channel = "email", template = "welcome", recipients = new[] { new { kind = "contacts", role = "admin" } } });
        changed.Connect("kickoff", "welcome");
        await PutAsync(changed);
        await suite.PublishAsync(id, "Welcome mail too");

        var diff = await suite.GetJsonAsync($"{EngineSuiteFixture.Definitions}/{id}/diff?from=1&to=2");

        var changes = diff.EnumerateArray().Select(c => (c.Text("kind"), c.Text("path"), c.Text("before"), c.Text("after"))).ToList();
        Assert.Contains(("changed", "activities.kickoff.inputs.title", "\"Hold kickoff with {{ account.name }}\"", "\"Kickoff call\""), changes);
        Assert.Contains(("added", "activities.welcome", null, "SendNotification"), changes);
        Assert.Contains(("added", "connections", null, "kickoff —Done→ welcome"), changes);
        Assert.Equal(3, changes.Count);
    }

    [Fact]
    public async Task Unpublishing_stops_new_runs_but_keeps_the_versions()
    {
        var id = EngineSuiteFixture.Unique("unpublish");
        await suite.CreatePublishedAsync(Kickoff(id));
        var account = await suite.AddAccountAsync();

        var unpublished = await suite.Client.PostAsync($"{EngineSuiteFixture.Definitions}/{id}/unpublish", null);
        var (start, problem) = await suite.PostJsonAsync(EngineSuiteFixture.Instances, new { definitionId = id, accountId = account });

        Assert.Equal(HttpStatusCode.NoContent, unpublished.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
        Assert.Equal($"'{id}' has no published version; publish it first.", problem.Text("detail"));
        var version = Assert.Single((await suite.GetJsonAsync($"{EngineSuiteFixture.Definitions}/{id}/versions")).EnumerateArray());
        Assert.False(version.GetProperty("isPublished").GetBoolean());
        var listed = (await suite.GetJsonAsync(EngineSuiteFixture.Definitions)).EnumerateArray().Single(d => d.Text("definitionId") == id);
        Assert.Equal("draft", listed.Text("status"));
    }

    [Fact]
    public async Task A_running_instance_stays_on_its_version_while_new_runs_use_the_new_one()
    {
        var id = EngineSuiteFixture.Unique("pinned");
        await suite.CreatePublishedAsync(Kickoff(id).ManyRunsPerAccount());
        var account = await suite.AddAccountAsync();
        using var bus = suite.RecordBus();
        var first = await suite.StartAsync(id, account);

        // Version 2 thanks the customer after a held kickoff.
        var v2 = Kickoff(id).ManyRunsPerAccount()
            .Activity("thanks", "SendNotification", new { channel = "email", template = "kickoff-thanks", recipients = new[] { new { kind = "contacts" } } });
        var v2Json = JsonSerializer.SerializeToNode(v2.ToJson(), EngineSuiteFixture.Json)!.AsObject();
        var connections = v2Json["connections"]!.AsArray();
        connections.RemoveAt(connections.Count - 2); // wait —held→ end
        connections.Add(new JsonObject { ["from"] = "wait", ["outcome"] = "held", ["to"] = "thanks" });
        connections.Add(new JsonObject { ["from"] = "thanks", ["outcome"] = "Done", ["to"] = "end" });
        Assert.Equal(HttpStatusCode.OK, (await suite.Client.PutAsJsonAsync($"{EngineSuiteFixture.Definitions}/{id}", v2Json, EngineSuiteFixture.Json)).StatusCode);
        Assert.Equal(2, await suite.PublishAsync(id, "Thank them"));
        var second = await suite.StartAsync(id, account);

        await suite.PublishAsync(EngineSuiteFixture.TaskCompleted(first.Text("id")!, account, "kickoff", "held"));
        await suite.PublishAsync(EngineSuiteFixture.TaskCompleted(second.Text("id")!, account, "kickoff", "held"));

        var firstDone = await suite.WaitForStatusAsync(first.Text("id")!, "completed");
        var secondDone = await suite.WaitForStatusAsync(second.Text("id")!, "completed");
        Assert.Equal(1, firstDone.GetProperty("version").GetInt32());
        Assert.Equal(2, secondDone.GetProperty("version").GetInt32());
        Assert.Empty(firstDone.JournalOf("thanks"));
        Assert.Single(secondDone.JournalOf("thanks"));
        var thanks = await bus.WaitForAsync(EventTypes.NotificationRequested, account);
        Assert.Equal(second.Text("id"), thanks.Data.GetProperty("instanceId").GetString());
        Assert.Single(bus.Of(EventTypes.NotificationRequested, account));
    }
}
