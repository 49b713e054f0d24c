using System.Security.Cryptography;
using System.Text;
using Playbooks.Messaging.Contracts;
using Playbooks.Notifications.Tests.Support;
using Xunit;

namespace Playbooks.Notifications.Tests.Channels;

public sealed class ChatWebhookTests(NotificationsFixture suite) : IClassFixture<NotificationsFixture>
{
    [Fact]
    public async Task Escalation_reaches_the_team_webhook_as_slack_json_with_a_valid_signature()
    {
        var tag = Requests.Tag();
        var request = Requests.Request("chat", "escalation-to-manager", Requests.Account(tag), [new RecipientRule("manager")],
            new { task = new { title = "Call Globex about the outage", url = "https://playbooks.example/tasks/9" }, vars = new { reason = "task overdue" } });

        await suite.PublishAsync(request);

        var delivery = (await suite.WaitForDeliveriesAsync(request.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "sent", 1)))[0];
        var hit = Assert.Single(suite.Webhooks.Accepted, hit => hit.DeliveryId == delivery.GetProperty("id").GetString());
        Assert.Equal("/hooks/cs-team", hit.Path);
        Assert.StartsWith("application/json", hit.ContentType);
        Assert.StartsWith("*Escalation: Globex & Partners*\n", hit.Text);
        Assert.Contains($"jordan.lee.{tag}@playbooks.example needs your help with Globex & Partners", hit.Text);
        Assert.Contains("Overdue task: Call Globex about the outage (https://playbooks.example/tasks/9)", hit.Text);
        Assert.StartsWith("Sam Rivera", hit.Text.Split('\n')[1]); // the manager, greeted by the name derived from the address

        // What a receiver does: recompute the HMAC over "{timestamp}.{body}" and refuse stale timestamps.
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(NotificationsFixture.SigningSecret), Encoding.UTF8.GetBytes($"{hit.Timestamp}.{hit.Body}")));
        Assert.Equal(expected, hit.Signature);
        var sentAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(hit.Timestamp));
        Assert.True((DateTimeOffset.UtcNow - sentAt).Duration() < TimeSpan.FromMinutes(1), $"timestamp {sentAt}");
    }

    [Fact]
    public async Task Webhook_failing_then_recovering_is_delivered_after_retries_with_attempts_recorded()
    {
        await using var room = await WebhookReceiver.StartAsync();
        room.Fail(times: 2, status: 503);
        var request = Requests.Request("chat", "escalation-to-manager", Requests.Account(Requests.Tag()), [new RecipientRule("address", Address: room.Url("/customer-room"))]);

        await suite.PublishAsync(request);

        var delivery = (await suite.WaitForDeliveriesAsync(request.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "sent", 1)))[0];
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Contains("HTTP 503", delivery.GetProperty("lastError").GetString());
        Assert.Equal([503, 503, 200], room.Hits.Select(hit => hit.Answered));
        Assert.Single(room.Accepted);
        Assert.Equal(3, Assert.Single(await suite.Events.WaitForAsync(EventTypes.NotificationSent, request.InstanceId, 1)).Attempts);
    }

    [Fact]
    public async Task Webhook_refusing_with_4xx_is_dead_lettered_at_once_and_can_be_retried()
    {
        await using var room = await WebhookReceiver.StartAsync();
        room.Fail(times: 1, status: 404);
        var request = Requests.Request("chat", "escalation-to-manager", Requests.Account(Requests.Tag()), [new RecipientRule("address", Address: room.Url("/gone"))]);

        await suite.PublishAsync(request);

        var dead = (await suite.WaitForDeliveriesAsync(request.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "dead", 1)))[0];
        Assert.Equal(1, dead.GetProperty("attempts").GetInt32());
        Assert.Contains("HTTP 404", dead.GetProperty("lastError").GetString());
        Assert.Single(room.Hits);

        await suite.PostJsonAsync($"/api/notifications/deliveries/{dead.GetProperty("id").GetString()}/retry", null);
        await suite.WaitForDeliveriesAsync(request.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "sent", 1));
        Assert.Single(room.Accepted);
    }

    [Fact]
    public async Task Circuit_opens_after_repeated_failures_so_later_messages_wait_instead_of_failing()
    {
        await using var room = await WebhookReceiver.StartAsync();
        room.Fail(times: int.MaxValue, status: 500);
        var account = Requests.Account(Requests.Tag());
        var url = room.Url("/flaky");
        var first = Enumerable.Range(0, 3).Select(_ => Requests.Request("chat", "escalation-to-manager", account, [new RecipientRule("address", Address: url)])).ToList();
        foreach (var request in first) await suite.PublishAsync(request);
        // Three transient failures out of three attempts: the breaker (minimum throughput 3, ratio 0.5) opens.
        await SuiteFixtureWait(() => room.Hits.Count >= 3);

        var later = Enumerable.Range(0, 3).Select(_ => Requests.Request("chat", "escalation-to-manager", account, [new RecipientRule("address", Address: url)])).ToList();
        foreach (var request in later) await suite.PublishAsync(request);
        var deferredIds = new List<string>();
        foreach (var request in later)
        {
            var waiting = (await suite.WaitForDeliveriesAsync(request.InstanceId,
                deliveries => deliveries.Length == 1 && deliveries[0].GetProperty("deferredReason").GetString()?.StartsWith("Circuit open") == true))[0];
            Assert.Equal("pending", waiting.GetProperty("status").GetString());
            Assert.Equal(0, waiting.GetProperty("attempts").GetInt32()); // deferred, not failed
            deferredIds.Add(waiting.GetProperty("id").GetString()!);
        }
        // While the circuit was open none of them reached the failing endpoint.
        Assert.DoesNotContain(room.Hits, hit => deferredIds.Contains(hit.DeliveryId));

        room.Recover();
        foreach (var request in first.Concat(later))
            await suite.WaitForDeliveriesAsync(request.InstanceId, deliveries => NotificationsFixture.AllHaveStatus(deliveries, "sent", 1), TimeSpan.FromSeconds(20));
        Assert.Equal(6, room.Accepted.Select(hit => hit.DeliveryId).Distinct().Count());
        Assert.Equal(6, room.Accepted.Count);
    }

    private static Task SuiteFixtureWait(Func<bool> condition) =>
        Playbooks.TestSupport.SuiteFixture.EventuallyAsync(() => Task.FromResult(condition()), met => met);
}
