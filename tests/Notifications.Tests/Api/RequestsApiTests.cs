using System.Net;
using System.Text.Json;
using Playbooks.Messaging.Contracts;
using Playbooks.Notifications.Tests.Support;
using Xunit;

namespace Playbooks.Notifications.Tests.Api;

/// <summary>A request sent over HTTP is checked up front: each bad input gets problem details naming what to fix, and nothing is recorded.</summary>
public sealed class RequestsApiTests(NotificationsFixture suite) : IClassFixture<NotificationsFixture>
{
    [Fact]
    public async Task Valid_request_is_accepted_and_delivered_once_however_often_it_is_sent()
    {
        var tag = Requests.Tag();
        var body = Body("email", "welcome-email", Requests.Account(tag), [new RecipientRule("contacts", Role: "admin")]);

        var (first, accepted) = await suite.PostJsonAsync("/api/notifications/requests", body);
        var (second, again) = await suite.PostJsonAsync("/api/notifications/requests", body);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var ids = accepted.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("id").GetString()).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Equal(ids, again.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        await suite.WaitForDeliveriesAsync(body.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "sent", 2));
        Assert.Single(suite.Smtp.ReceivedBy($"ada.{tag}@globex.example"));
    }

    [Theory]
    [InlineData("sms", "welcome-email", "address", "ada@globex.example", "channel", "Unknown channel 'sms'. Use email, chat, in-app.")]
    [InlineData("email", "no-such-template", "address", "ada@globex.example", "template", "Unknown template 'no-such-template'")]
    [InlineData("email", "escalation-to-manager", "address", "ada@globex.example", "template", "is for chat, but the request asks for email")]
    [InlineData("email", "welcome-email", "address", "ada@globex", "recipients[0].address", "'ada@globex' is not a valid email address")]
    [InlineData("email", "welcome-email", "address", "Ada <ada@globex.example>", "recipients[0].address", "is not a valid email address")]
    [InlineData("chat", "escalation-to-manager", "address", "not a url", "recipients[0].address", "For chat, 'address' is the webhook URL to post to")]
    [InlineData("email", "welcome-email", "contacts", "executive", "recipients[0]", "has no contact with role 'executive'")]
    [InlineData("email", "welcome-email", "everyone", "", "recipients[0].kind", "Unknown recipient kind 'everyone'")]
    public async Task Bad_request_answers_problem_details_naming_the_field(string channel, string template, string kind, string value, string field, string message)
    {
        var rule = kind switch
        {
            "address" => new RecipientRule("address", Address: value),
            "contacts" => new RecipientRule("contacts", Role: value),
            _ => new RecipientRule(kind),
        };
        var body = Body(channel, template, Requests.Account(Requests.Tag()), [rule]);

        var (response, problem) = await suite.PostJsonAsync("/api/notifications/requests", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("The notification cannot be sent", problem.GetProperty("title").GetString());
        var errors = problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(errors, error => error!.Contains(message));
        Assert.Empty(await suite.DeliveriesAsync(body.InstanceId));
    }

    [Fact]
    public async Task An_empty_recipient_rule_answers_problem_details_and_an_empty_contact_is_passed_over()
    {
        var tag = Requests.Tag();
        var account = Requests.Account(tag);
        var withNullContact = account with { Contacts = [.. account.Contacts, null!] };
        var nullRule = Body("email", "welcome-email", account, [new RecipientRule("contacts", Role: "admin"), null!]);
        var nullContact = Body("email", "welcome-email", withNullContact, [new RecipientRule("contacts", Role: "admin")]);

        var (refused, problem) = await suite.PostJsonAsync("/api/notifications/requests", nullRule);
        var (accepted, _) = await suite.PostJsonAsync("/api/notifications/requests", nullContact);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("recipient rule is empty", problem.GetProperty("errors").GetProperty("recipients")[0].GetString());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await suite.WaitForDeliveriesAsync(nullContact.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "sent", 2)); // both admins
    }

    [Fact]
    public async Task Malformed_json_answers_problem_details()
    {
        var response = await suite.Client.PostAsync("/api/notifications/requests",
            new StringContent("{\"channel\": \"email\", \"recipients\": [", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Bad_delivery_log_filters_answer_problem_details()
    {
        var response = await suite.Client.GetAsync("/api/notifications/deliveries?status=lost&channel=fax&pageSize=5000");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown status 'lost'", problem.GetProperty("errors").GetProperty("status")[0].GetString());
        Assert.Contains("Unknown channel 'fax'", problem.GetProperty("errors").GetProperty("channel")[0].GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("pageSize", out _));
    }

    private static RequestBody Body(string channel, string template, AccountSnapshot account, IReadOnlyList<RecipientRule> recipients) =>
        new(Requests.NewInstance(), "notify-1", "def-1", "Test playbook", account, channel, template, recipients, new { });

    private sealed record RequestBody(
        string InstanceId, string ActivityId, string DefinitionId, string PlaybookName, AccountSnapshot Account,
        string Channel, string Template, IReadOnlyList<RecipientRule> Recipients, object Variables);
}
