using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.Notifications.Tests.Support;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Notifications.Tests.Api;

public sealed class TemplatesApiTests(NotificationsFixture suite) : IClassFixture<NotificationsFixture>
{
    [Fact]
    public async Task A_template_deleted_and_made_again_under_its_id_sends_its_new_text()
    {
        var tag = Requests.Tag();
        var id = $"check-in-{tag}";
        var address = $"erin.{tag}@globex.example";
        async Task<string> SendAsync()
        {
            var request = Requests.Request("email", id, Requests.Account(tag), [new Playbooks.Messaging.Contracts.RecipientRule("address", Address: address)]);
            await suite.PublishAsync(request);
            await suite.WaitForDeliveriesAsync(request.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "sent", 1));
            return suite.Smtp.ReceivedBy(address)[^1].Text!;
        }
        object Template(string text) => new { id, name = "Check-in", channel = "email", subject = "Checking in", textBody = text };

        Assert.Equal(System.Net.HttpStatusCode.Created, (await suite.PostJsonAsync("/api/notifications/templates", Template("First words"))).Response.StatusCode);
        Assert.Contains("First words", await SendAsync());
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await suite.Client.DeleteAsync($"/api/notifications/templates/{id}")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Created, (await suite.PostJsonAsync("/api/notifications/templates", Template("Second words"))).Response.StatusCode);

        Assert.Contains("Second words", await SendAsync());
    }

    [Fact]
    public async Task Template_can_be_created_read_changed_and_deleted()
    {
        var id = $"qbr-invite-{Requests.Tag()}";
        var template = new
        {
            id, name = "QBR invitation", channel = "email", subject = "Your quarterly review, {{contact.name}}",
            textBody = "Hi {{contact.name}}, shall we review {{account.name}}'s quarter?", htmlBody = "<p>Hi {{contact.name}}</p>",
        };

        var (created, body) = await suite.PostJsonAsync("/api/notifications/templates", template);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/notifications/templates/{id}", created.Headers.Location?.ToString());
        Assert.Equal(1, body.GetProperty("version").GetInt32());

        var (duplicate, conflict) = await suite.PostJsonAsync("/api/notifications/templates", template);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains("PUT /api/notifications/templates/", conflict.GetProperty("detail").GetString());

        var changed = await suite.Client.PutAsJsonAsync($"/api/notifications/templates/{id}", template with { name = "QBR invitation v2" }, SuiteFixture.Json);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var read = await suite.GetJsonAsync($"/api/notifications/templates/{id}");
        Assert.Equal("QBR invitation v2", read.GetProperty("name").GetString());
        Assert.Equal(2, read.GetProperty("version").GetInt32());
        Assert.Contains((await suite.GetJsonAsync("/api/notifications/templates")).EnumerateArray(), t => t.GetProperty("id").GetString() == id);

        Assert.Equal(HttpStatusCode.NoContent, (await suite.Client.DeleteAsync($"/api/notifications/templates/{id}")).StatusCode);
        var gone = await suite.Client.GetAsync($"/api/notifications/templates/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("textBody", "Hello {{contact.nmae}}", "Unknown variable 'contact.nmae': contact has no field 'nmae'")]
    [InlineData("textBody", "Hello {{acount.name}}", "Unknown variable 'acount.name'. Templates can use account, contact, task, instance, event, vars.")]
    [InlineData("textBody", "{{Account.Name}}", "Did you mean 'account'? Names are case-sensitive.")]
    [InlineData("subject", "Renewal on {{formatDate account.renewal}}", "Unknown variable 'account.renewal'")]
    [InlineData("htmlBody", "<ul>{{#each account.contacts}}<li>{{emial}}</li>{{/each}}</ul>", "Unknown variable 'emial': contact has no field 'emial'")]
    [InlineData("textBody", "{{#with task}}{{titel}}{{/with}}", "task has no field 'titel'")]
    [InlineData("textBody", "{{account.contacts.name}}", "account.contacts is a list")]
    [InlineData("textBody", "{{shout account.name}}", "Unknown helper 'shout'")]
    [InlineData("textBody", "{{#if account.name}}unclosed", "Malformed template")]
    [InlineData("textBody", "{{account.name", "Malformed template")]
    [InlineData("textBody", "{{> footer}}", "Partials ({{> name}}) are not supported")]
    public async Task Template_with_an_unknown_variable_or_bad_syntax_is_refused_naming_it(string field, string text, string message)
    {
        var template = new Dictionary<string, object?>
        {
            ["id"] = $"broken-{Requests.Tag()}", ["name"] = "Broken", ["channel"] = "email",
            ["subject"] = "Fine subject", ["textBody"] = "Fine body", ["htmlBody"] = "<p>Fine</p>",
        };
        template[field] = text;

        var (response, problem) = await suite.PostJsonAsync("/api/notifications/templates", template);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(error => error.GetString()!).ToList();
        Assert.Contains(errors, error => error.Contains(message));
        Assert.Contains(message, problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await suite.Client.GetAsync($"/api/notifications/templates/{template["id"]}")).StatusCode);
    }

    [Fact]
    public async Task Template_for_an_unknown_channel_or_without_required_parts_is_refused()
    {
        var (response, problem) = await suite.PostJsonAsync("/api/notifications/templates",
            new { id = "Bad Id!", name = "", channel = "sms", textBody = "" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = problem.GetProperty("errors");
        Assert.Contains("Unknown channel 'sms'", errors.GetProperty("channel")[0].GetString());
        Assert.Contains("lowercase letters, digits and dashes", errors.GetProperty("id")[0].GetString());
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("textBody", out _));
    }

    [Fact]
    public async Task Valid_templates_using_blocks_helpers_and_free_form_vars_are_accepted()
    {
        var (response, problem) = await suite.PostJsonAsync("/api/notifications/templates", new
        {
            id = $"digest-{Requests.Tag()}", name = "Digest", channel = "email", subject = "{{default vars.title \"Digest\"}} for {{account.name}}",
            textBody = "{{#each account.contacts as |person index|}}{{index}}. {{person.name}} ({{../account.name}}, {{@root.instance.playbookName}}){{#if @first}}!{{/if}}\n{{else}}nobody{{/each}}"
                + "{{#each vars.items}}{{this.label}} {{anything.goes}}{{/each}}{{event.data.incident.severity}}{{lookup account.custom \"tier\"}}{{account.custom.[tier one]}}"
                + "{{#unless task.dueAt}}no due date{{else if task.priority}}{{task.priority}}{{/unless}}{{! a comment {{nope}} }}{{!-- {{nope.either}} --}}\\{{not.a.variable}}",
        });

        Assert.True(response.StatusCode == HttpStatusCode.Created, problem.ToString());
    }

    [Fact]
    public async Task Saved_template_previews_with_sample_data_and_overrides()
    {
        var (response, preview) = await suite.PostJsonAsync("/api/notifications/templates/renewal-champion-email/preview",
            new { account = new { name = "Initech" }, contact = new { name = "Peter Gibbons" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Planning ahead for Initech's renewal", preview.GetProperty("subject").GetString());
        Assert.StartsWith("Hi Peter Gibbons,", preview.GetProperty("text").GetString());
        Assert.Contains("renews on March 1, 2027", preview.GetProperty("text").GetString()); // the sample account's renewal date is kept
        Assert.Contains("<strong>March 1, 2027</strong>", preview.GetProperty("html").GetString());

        var (unknown, problem) = await suite.PostJsonAsync("/api/notifications/templates/renewal-champion-email/preview", new { customer = new { } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("'customer' is not a template variable", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Unsaved_template_previews_or_is_refused_like_a_save()
    {
        var (ok, preview) = await suite.PostJsonAsync("/api/notifications/templates/preview", new
        {
            template = new { channel = "chat", textBody = "{{account.name}} renews {{formatDate account.renewalDate \"yyyy-MM-dd\"}}" },
            sample = new { account = new { renewalDate = "2028-01-31" } },
        });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("Acme Corp renews 2028-01-31", preview.GetProperty("text").GetString());

        var (bad, problem) = await suite.PostJsonAsync("/api/notifications/templates/preview",
            new { template = new { channel = "chat", textBody = "{{account.helth}}" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("account.helth", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Oversized_templates_and_renderings_are_refused_and_nothing_is_saved()
    {
        var (tooLong, problem) = await suite.PostJsonAsync("/api/notifications/templates",
            new { id = "huge-template", name = "Huge", channel = "chat", textBody = new string('x', 70_000) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("under 65,536 characters", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await suite.Client.GetAsync("/api/notifications/templates/huge-template")).StatusCode);

        // A short template looping over a long list would render megabytes: refused, not sent.
        var items = Enumerable.Range(0, 6_000).Select(i => new string('y', 100)).ToArray();
        var (blownUp, refusal) = await suite.PostJsonAsync("/api/notifications/templates/preview", new
        {
            template = new { channel = "chat", textBody = "{{#each vars.items}}{{this}}{{/each}}" },
            sample = new { vars = new { items } },
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, blownUp.StatusCode);
        Assert.Contains("more than the 524,288 allowed", refusal.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Shipped_templates_are_present_and_cannot_be_deleted()
    {
        var ids = (await suite.GetJsonAsync("/api/notifications/templates")).EnumerateArray()
            .Where(t => t.GetProperty("shipped").GetBoolean()).Select(t => t.GetProperty("id").GetString()).ToList();

        Assert.Equal(["adoption-nudge", "escalation-to-manager", "incident-first-notice", "incident-update", "renewal-champion-email", "welcome-email"], ids);
        var delete = await suite.Client.DeleteAsync("/api/notifications/templates/welcome-email");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        var incident = await suite.GetJsonAsync("/api/notifications/templates/incident-first-notice");
        Assert.True(incident.GetProperty("urgent").GetBoolean());
    }
}
