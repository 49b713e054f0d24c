using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;
using Playbooks.Notifications.Tests.Support;
using Playbooks.TestSupport;
using Playbooks.TestSupport.Smtp;
using Xunit;

namespace Playbooks.Notifications.Tests.Delivery;

/// <summary>The service alone on a clock the test moves: quiet hours depend on what time it is where the recipient is.</summary>
public sealed class QuietHoursDeliveryTests() : ClockedDeliveryTest(LateEvening)
{
    // Monday 23 November 2026, 21:30 UTC: 22:30 in Paris (quiet), 16:30 in New York (not).
    private static readonly DateTimeOffset LateEvening = new(2026, 11, 23, 21, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ParisMorning = new(2026, 11, 24, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Customer_email_in_quiet_hours_waits_for_morning_in_the_accounts_time_zone()
    {
        var tag = Requests.Tag();
        var welcome = Requests.Request("email", "welcome-email", Requests.Account(tag, "Europe/Paris"), [new RecipientRule("contacts", Role: "admin"), new RecipientRule("owner")]);
        await PublishAsync(welcome);

        var held = await WaitForAsync(welcome.InstanceId, log => log.Count(d => d.GetProperty("deferredReason").GetString() is not null) == 2 && log.Any(d => Status(d) == "sent"));
        foreach (var customer in held.Where(d => d.GetProperty("recipient").GetString()!.Contains("@globex.example")))
        {
            Assert.Equal("pending", Status(customer));
            Assert.Equal(0, customer.GetProperty("attempts").GetInt32());
            Assert.Equal(ParisMorning, customer.GetProperty("nextAttemptAt").GetDateTimeOffset());
            Assert.StartsWith("Quiet hours in Europe/Paris (21:00–08:00)", customer.GetProperty("deferredReason").GetString());
        }
        // The CSM is the CS team, not a customer: not held.
        Assert.Single(Smtp.ReceivedBy($"jordan.lee.{tag}@playbooks.example"));

        // An incident notice is urgent; a customer in New York is in the afternoon.
        var incident = Requests.Request("email", "incident-first-notice", Requests.Account(tag, "Europe/Paris"), [new RecipientRule("contacts", Role: "admin")]);
        var newYork = Requests.Request("email", "welcome-email", Requests.Account(Requests.Tag(), "America/New_York"), [new RecipientRule("contacts", Role: "champion")]);
        await PublishAsync(incident);
        await PublishAsync(newYork);
        await WaitForAsync(incident.InstanceId, log => log.Length == 2 && log.All(d => Status(d) == "sent"));
        await WaitForAsync(newYork.InstanceId, log => log.Length == 1 && Status(log[0]) == "sent");
        Assert.All(Smtp.ReceivedBy($"ada.{tag}@globex.example"), mail => Assert.StartsWith("[Incident]", mail.Subject));

        Clock.AdvanceTo(ParisMorning - TimeSpan.FromMinutes(1));
        await Task.Delay(300);
        Assert.DoesNotContain(Smtp.ReceivedBy($"ada.{tag}@globex.example"), mail => mail.Subject.StartsWith("Welcome"));

        Clock.AdvanceTo(ParisMorning + TimeSpan.FromSeconds(5));
        await WaitForAsync(welcome.InstanceId, log => log.All(d => Status(d) == "sent"));
        Assert.Single(Smtp.ReceivedBy($"ada.{tag}@globex.example"), mail => mail.Subject.StartsWith("Welcome"));
        Assert.Single(Smtp.ReceivedBy($"ben.{tag}@globex.example"), mail => mail.Subject.StartsWith("Welcome"));
    }

    private Task PublishAsync(NotificationRequested request) =>
        Host.Bus.PublishAsync([EventEnvelopeFactory.Create(EventTypes.NotificationRequested, "engine", request.Account.Id, request, Clock.GetUtcNow())], CancellationToken.None);

    private Task<JsonElement[]> WaitForAsync(string instanceId, Func<JsonElement[], bool> condition) =>
        SuiteFixture.EventuallyAsync(async () =>
            (await Host.Client.GetFromJsonAsync<JsonElement>($"/api/notifications/deliveries?instance={instanceId}")).GetProperty("items").EnumerateArray().ToArray(),
            log => log.Length > 0 && condition(log));

    private static string? Status(JsonElement delivery) => delivery.GetProperty("status").GetString();
}
