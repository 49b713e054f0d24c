using Playbooks.Engine.Tests.Support;
using Playbooks.Messaging.Contracts;
using Xunit;

namespace Playbooks.Engine.Tests.Activities;

/// <summary>SendNotification and EmitEvent: what leaves the engine on the bus in a real run, and on the timeline in a test run.</summary>
[Collection(EngineSuiteCollection.Name)]
public sealed class MessagingActivityTests(EngineSuiteFixture suite)
{
    [Fact]
    public async Task SendNotification_asks_the_Notifications_service_to_send_the_template_to_the_recipients()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("welcome"), ("welcome", "SendNotification", new
        {
            channel = "email",
            template = "welcome-email",
            recipients = new object[] { new { kind = "contacts", role = "admin" }, new { kind = "owner" } },
            variables = new { helpLink = "https://help.example/start" },
        }));
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        using var bus = suite.RecordBus();

        var instance = await suite.StartAsync(playbook.Id, account);

        var request = (await bus.WaitForAsync(EventTypes.NotificationRequested, account)).Data;
        Assert.Equal(instance.Text("id"), request.Text("instanceId"));
        Assert.Equal("welcome", request.Text("activityId"));
        Assert.Equal(playbook.Id, request.Text("definitionId"));
        Assert.Equal("email", request.Text("channel"));
        Assert.Equal("welcome-email", request.Text("template"));
        Assert.Equal([("contacts", "admin"), ("owner", null)], request.Items("recipients").Select(r => (r.Text("kind"), r.Text("role"))));
        Assert.Equal("https://help.example/start", request.GetProperty("variables").Text("helpLink"));
        Assert.Equal("hana@acme.example", request.GetProperty("account").Items("contacts")[0].Text("email"));
    }

    [Fact]
    public async Task EmitEvent_publishes_an_account_event_other_playbooks_can_react_to()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("emit"), ("announce", "EmitEvent", new
        {
            eventType = "health.watch.ended",
            data = new { js = "({ score: account.healthScore, reason: 'incident closed' })" },
        }));
        await suite.CreatePublishedAsync(playbook);
        var account = await suite.AddAccountAsync();
        using var bus = suite.RecordBus();

        var instance = await suite.StartAsync(playbook.Id, account);

        var emitted = await bus.WaitForAsync("health.watch.ended", account);
        Assert.Equal("engine", emitted.Source);
        Assert.Equal(account, emitted.Data.Text("accountId"));
        Assert.Equal(instance.Text("id"), emitted.Data.Text("emittedBy"));
        Assert.Equal(50, emitted.Data.GetProperty("data").GetProperty("score").GetInt32());
        Assert.Equal("incident closed", emitted.Data.GetProperty("data").Text("reason"));
    }

    [Fact]
    public async Task A_test_run_shows_notifications_and_emitted_events_on_its_timeline()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("emit-sim"),
            ("welcome", "SendNotification", new { channel = "chat", template = "new-customer", recipients = new[] { new { kind = "owner" } } }),
            ("announce", "EmitEvent", new { eventType = "onboarding.started" }));

        var result = await suite.SimulateDraftAsync(playbook);

        var timeline = result.Items("timeline");
        var notification = timeline.Single(e => e.Text("kind") == "notification");
        Assert.Equal(("welcome", "chat 'new-customer' to owner"), (notification.Text("activityId"), notification.Text("summary")));
        var emitted = timeline.Single(e => e.Text("kind") == "emitted");
        Assert.Equal(("announce", "Emits onboarding.started"), (emitted.Text("activityId"), emitted.Text("summary")));
    }
}
