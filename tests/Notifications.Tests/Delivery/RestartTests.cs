using Playbooks.Messaging.Contracts;
using Playbooks.Notifications.Tests.Support;
using Xunit;

namespace Playbooks.Notifications.Tests.Delivery;

/// <summary>Restarts its suite, so it has one of its own.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly PatientSuite _suite = new();

    public Task InitializeAsync() => _suite.InitializeAsync();

    public Task DisposeAsync() => _suite.DisposeAsync();

    [Fact]
    public async Task Restart_in_the_middle_of_a_retry_loses_nothing_and_sends_once()
    {
        _suite.Webhooks.Fail(times: int.MaxValue, status: 503);
        var request = Requests.Request("chat", "escalation-to-manager", Requests.Account(Requests.Tag()), [new RecipientRule("owner")]);
        await _suite.PublishAsync(request);
        var retrying = (await _suite.WaitForDeliveriesAsync(request.InstanceId,
            deliveries => deliveries.Length == 1 && deliveries[0].GetProperty("attempts").GetInt32() >= 2 && deliveries[0].GetProperty("status").GetString() == "pending"))[0];
        var attemptsBefore = retrying.GetProperty("attempts").GetInt32();

        await _suite.RestartAsync();
        _suite.Events.Observe(_suite.Bus);

        // The new suite picks the retry loop up where the old one left it.
        await _suite.WaitForDeliveriesAsync(request.InstanceId, deliveries => deliveries[0].GetProperty("attempts").GetInt32() > attemptsBefore);
        _suite.Webhooks.Recover();
        var sent = (await _suite.WaitForDeliveriesAsync(request.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "sent", 1), TimeSpan.FromSeconds(20)))[0];
        Assert.Equal(retrying.GetProperty("id").GetString(), sent.GetProperty("id").GetString());
        Assert.Single(_suite.Webhooks.Accepted);
        Assert.Single(await _suite.Events.WaitForAsync(EventTypes.NotificationSent, request.InstanceId, count: 1));

        // The engine, restarted too, replays its request: nothing new is sent.
        await _suite.PublishAsync(request);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(await _suite.DeliveriesAsync(request.InstanceId));
        Assert.Single(_suite.Webhooks.Accepted);
    }

    /// <summary>Enough attempts that the delivery is still retrying when the suite comes back.</summary>
    private sealed class PatientSuite : NotificationsFixture
    {
        protected override Dictionary<string, string?> NotificationSettings()
        {
            var settings = base.NotificationSettings();
            settings["Notifications:Delivery:MaxAttempts"] = "50";
            return settings;
        }
    }
}
