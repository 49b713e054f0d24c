using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;
using Playbooks.Notifications.Tests.Support;
using Playbooks.TestSupport;
using Playbooks.TestSupport.Smtp;
using Xunit;

namespace Playbooks.Notifications.Tests.Delivery;

/// <summary>The per-recipient limit counts sends in a sliding hour, so the test moves the clock by hand.</summary>
public sealed class RateLimitDeliveryTests() : ClockedDeliveryTest(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero))
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Notifications:RateLimit:PerRecipient"] = "2",
        ["Notifications:RateLimit:Window"] = "01:00:00",
    };

    [Fact]
    public async Task Messages_beyond_the_per_recipient_limit_wait_for_room_in_the_window()
    {
        var tag = Requests.Tag();
        var address = $"ada.{tag}@globex.example";
        var account = Requests.Account(tag, "UTC");
        var requests = new List<NotificationRequested>();
        for (var i = 0; i < 3; i++)
        {
            requests.Add(Requests.Request("email", "adoption-nudge", account, [new RecipientRule("address", Address: address)]));
            await PublishAsync(requests[^1]);
            if (i == 0) await WaitForAsync(requests[0].InstanceId, delivery => Status(delivery) == "sent");
            Clock.Advance(TimeSpan.FromMinutes(10));
        }

        await WaitForAsync(requests[1].InstanceId, delivery => Status(delivery) == "sent");
        var waiting = await WaitForAsync(requests[2].InstanceId, delivery => delivery.GetProperty("deferredReason").GetString() is not null);
        Assert.StartsWith($"Rate limit for {address} reached", waiting.GetProperty("deferredReason").GetString());
        Assert.Equal(0, waiting.GetProperty("attempts").GetInt32());
        // The first send (at 10:00) leaves the window at 11:00.
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 11, 0, 0, TimeSpan.Zero), waiting.GetProperty("nextAttemptAt").GetDateTimeOffset());
        Assert.Equal(2, Smtp.ReceivedBy(address).Count);

        Clock.AdvanceTo(new DateTimeOffset(2026, 11, 24, 11, 0, 5, TimeSpan.Zero));
        await WaitForAsync(requests[2].InstanceId, delivery => Status(delivery) == "sent");
        Assert.Equal(3, Smtp.ReceivedBy(address).Count);
    }

    private Task PublishAsync(NotificationRequested request) =>
        Host.Bus.PublishAsync([EventEnvelopeFactory.Create(EventTypes.NotificationRequested, "engine", request.Account.Id, request, Clock.GetUtcNow())], CancellationToken.None);

    private async Task<JsonElement> WaitForAsync(string instanceId, Func<JsonElement, bool> condition) =>
        (await SuiteFixture.EventuallyAsync(async () =>
            (await Host.Client.GetFromJsonAsync<JsonElement>($"/api/notifications/deliveries?instance={instanceId}")).GetProperty("items").EnumerateArray().ToArray(),
            log => log.Length == 1 && condition(log[0])))[0];

    private static string? Status(JsonElement delivery) => delivery.GetProperty("status").GetString();
}
