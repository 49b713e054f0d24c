using Playbooks.TestSupport;
using System.Net;
using Playbooks.Messaging.Contracts;
using Playbooks.Notifications.Tests.Support;
using Xunit;

namespace Playbooks.Notifications.Tests.Channels;

public sealed class InAppTests(NotificationsFixture suite) : IClassFixture<NotificationsFixture>
{
    [Fact]
    public async Task In_app_notifications_land_in_each_users_inbox_and_can_be_marked_read()
    {
        var tag = Requests.Tag();
        var owner = $"jordan.lee.{tag}@playbooks.example";
        var colleague = $"riley.{tag}@playbooks.example";
        await suite.Client.PutAsync("/api/notifications/templates/task-heads-up", JsonContent(new
        {
            name = "Heads-up in the CSM's inbox", channel = "in-app", subject = "{{account.name}} needs attention",
            textBody = "Health is {{account.healthScore}}: {{task.title}}",
        }));
        var request = Requests.Request("in-app", "task-heads-up", Requests.Account(tag), [new RecipientRule("owner"), new RecipientRule("user", User: colleague)],
            new { task = new { title = "Review the usage drop" } });

        await suite.PublishAsync(request);

        await suite.WaitForDeliveriesAsync(request.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "sent", 2));
        var inbox = await suite.GetJsonAsync($"/api/notifications/inbox?user={owner}");
        Assert.Equal(1, inbox.GetProperty("unread").GetInt32());
        var message = Assert.Single(inbox.GetProperty("messages").EnumerateArray());
        Assert.Equal("Globex & Partners needs attention", message.GetProperty("subject").GetString());
        Assert.Equal("Health is 58: Review the usage drop", message.GetProperty("body").GetString());
        Assert.Equal(JsonValueKindNull, message.GetProperty("readAt").ValueKind);
        var id = message.GetProperty("id").GetString();

        var notMine = await suite.Client.PostAsync($"/api/notifications/inbox/{id}/read?user={colleague}", null);
        Assert.Equal(HttpStatusCode.NotFound, notMine.StatusCode);
        var read = await suite.Client.PostAsync($"/api/notifications/inbox/{id}/read?user={owner}", null);
        Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);

        var after = await suite.GetJsonAsync($"/api/notifications/inbox?user={owner}");
        Assert.Equal(0, after.GetProperty("unread").GetInt32());
        Assert.NotEqual(JsonValueKindNull, Assert.Single(after.GetProperty("messages").EnumerateArray()).GetProperty("readAt").ValueKind);
        Assert.Empty((await suite.GetJsonAsync($"/api/notifications/inbox?user={owner}&unread=true")).GetProperty("messages").EnumerateArray());
        Assert.Equal(1, (await suite.GetJsonAsync($"/api/notifications/inbox?user={colleague}")).GetProperty("unread").GetInt32());
    }

    [Fact]
    public async Task Inbox_is_the_callers_own_unless_an_admin_asks_for_someone_elses()
    {
        var own = await suite.GetJsonAsync("/api/notifications/inbox");
        Assert.Equal(SuiteFixture.AdminUser, own.GetProperty("user").GetString());

        var invalid = await suite.Client.GetAsync("/api/notifications/inbox?user=jordan");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'jordan' is not a valid email address", await invalid.Content.ReadAsStringAsync());

        using var csm = suite.ClientAs("csm", "aiko@example.com");
        Assert.Equal(HttpStatusCode.OK, (await csm.GetAsync("/api/notifications/inbox")).StatusCode);
        var someoneElses = await csm.GetAsync("/api/notifications/inbox?user=bob@example.com");
        Assert.Equal(HttpStatusCode.Forbidden, someoneElses.StatusCode);
        Assert.Contains("bob@example.com's inbox", await someoneElses.Content.ReadAsStringAsync());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    private static StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body, System.Text.Json.JsonSerializerOptions.Web), System.Text.Encoding.UTF8, "application/json");
}
