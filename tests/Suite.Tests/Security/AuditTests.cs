using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.ServiceDefaults.Security;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Suite.Tests.Security;

/// <summary>Admins can read who changed, published, cancelled or retried what, with the thing before and after.</summary>
public sealed class AuditTests(SuiteFixture suite) : IClassFixture<SuiteFixture>
{
    [Fact]
    public async Task Definition_changes_and_publishes_are_recorded_with_who_and_before_after()
    {
        var id = $"audited-{Guid.NewGuid():N}"[..20];
        using var designer = suite.ClientAs(Roles.CsOps, "designer@example.com");
        var definition = Definition(id, "First name");
        Assert.Equal(HttpStatusCode.Created, (await designer.PostAsJsonAsync("/api/engine/definitions", definition)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await designer.PutAsJsonAsync($"/api/engine/definitions/{id}", Definition(id, "Second name"))).StatusCode);
        var publish = await designer.PostAsJsonAsync($"/api/engine/definitions/{id}/publish", new { note = "ready" });
        Assert.Equal(HttpStatusCode.OK, publish.StatusCode);

        var audit = await suite.Client.GetFromJsonAsync<JsonElement>($"/api/audit?subject=definition:{id}");

        var entries = audit.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["definition.published", "definition.saved", "definition.created"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal("designer@example.com", e.GetProperty("actor").GetString()));
        Assert.All(entries, e => Assert.Equal("cs-ops", e.GetProperty("role").GetString()));
        Assert.All(entries, e => Assert.Equal("engine", e.GetProperty("service").GetString()));
        var saved = entries[1];
        Assert.Equal("First name", saved.GetProperty("before").GetProperty("name").GetString());
        Assert.Equal("Second name", saved.GetProperty("after").GetProperty("name").GetString());
        Assert.Equal("ready", entries[0].GetProperty("after").GetProperty("note").GetString());
        Assert.Empty(audit.GetProperty("unavailable").EnumerateArray());
    }

    [Fact]
    public async Task Template_changes_are_recorded_and_the_log_filters_by_service_and_actor()
    {
        var id = $"tpl-{Guid.NewGuid():N}"[..16];
        using var designer = suite.ClientAs(Roles.CsOps, "writer@example.com");
        var template = new { id, name = "Welcome", channel = "email", subject = "Hello {{account.name}}", textBody = "Hi {{contact.name}}" };
        var created = await designer.PutAsJsonAsync($"/api/notifications/templates/{id}", template);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await designer.PutAsJsonAsync($"/api/notifications/templates/{id}", template with { subject = "Welcome {{account.name}}" })).StatusCode);

        var audit = await suite.Client.GetFromJsonAsync<JsonElement>($"/api/audit?service=notifications&actor=writer@example.com");

        var entries = audit.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["template.saved", "template.created"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("Hello {{account.name}}", entries[0].GetProperty("before").GetProperty("subject").GetString());
        Assert.Equal("Welcome {{account.name}}", entries[0].GetProperty("after").GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Only_admins_read_the_audit_log()
    {
        foreach (var role in new[] { Roles.CsOps, Roles.Csm, Roles.Sre })
        {
            using var client = suite.ClientAs(role, $"{role}@example.com");
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/audit")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await suite.Client.GetAsync("/api/audit?limit=0")).StatusCode);
    }

    private static object Definition(string id, string name) => new
    {
        definitionId = id,
        name,
        triggers = Array.Empty<object>(),
        activities = new object[]
        {
            new { id = "start", type = "Start", inputs = new { } },
            new { id = "finish", type = "End", inputs = new { } },
        },
        connections = new[] { new { from = "start", outcome = "Done", to = "finish" } },
    };
}
