using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;
using Playbooks.Notifications.Tests.Support;
using Playbooks.Storage;
using Playbooks.TestSupport;
using Playbooks.TestSupport.Smtp;
using Xunit;

namespace Playbooks.Notifications.Tests.Delivery;

/// <summary>
/// What a sender that died mid-send leaves behind, and rows that cannot be sent, recreated in the database of the
/// service running alone on a clock the test moves (leases expire by that clock).
/// </summary>
public sealed class CrashRecoveryTests() : ClockedDeliveryTest(LateEvening)
{
    // Monday 23 November 2026, 21:30 UTC: 22:30 in Paris, so customer email is held until morning and stays pending.
    private static readonly DateTimeOffset LateEvening = new(2026, 11, 23, 21, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ParisMorning = new(2026, 11, 24, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_send_interrupted_by_a_crash_is_dead_lettered_not_repeated_and_an_in_app_one_is_resumed()
    {
        var tag = Requests.Tag();
        var email = Requests.Request("email", "welcome-email", Requests.Account(tag, "Europe/Paris"), [new RecipientRule("contacts", Role: "champion")]);
        await PublishAsync(email);
        var held = (await WaitForAsync(email.InstanceId, log => log.Length == 1 && log[0].GetProperty("deferredReason").GetString() is not null))[0];

        await Host.Client.PutAsJsonAsync("/api/notifications/templates/nudge-in-app", new { name = "Nudge", channel = "in-app", textBody = "Look at {{account.name}}" });
        var owner = $"jordan.lee.{tag}@playbooks.example";
        var inApp = Requests.Request("in-app", "nudge-in-app", Requests.Account(tag), [new RecipientRule("owner")]);
        await PublishAsync(inApp);
        var shown = (await WaitForAsync(inApp.InstanceId, log => log.Length == 1 && Status(log[0]) == "sent"))[0];

        // What a process that died mid-send leaves behind: claims whose lease ran out, and for the in-app one no inbox row yet.
        var database = Host.Services.GetRequiredService<ServiceDatabase>();
        await using (var connection = await database.OpenAsync())
        {
            var expired = Clock.GetUtcNow().AddMinutes(-1).ToUnixTimeMilliseconds();
            await connection.ExecuteAsync("UPDATE deliveries SET status = 'sending', lease_until = @expired WHERE id IN (@a, @b)",
                new { expired, a = held.GetProperty("id").GetString(), b = shown.GetProperty("id").GetString() });
            await connection.ExecuteAsync("DELETE FROM inapp_messages WHERE id = @id", new { id = shown.GetProperty("id").GetString() });
        }
        var failed = new List<NotificationDelivered>();
        using var subscription = Host.Bus.Subscribe("test-observer", [EventTypes.NotificationFailed], (envelope, _) =>
        {
            lock (failed) failed.Add(envelope.Data.Deserialize<NotificationDelivered>(JsonSerializerOptions.Web)!);
            return Task.CompletedTask;
        });

        // The dispatcher's next look for work. The clock moves on a second at every poll: a dispatcher that was still
        // finishing its last look when a single jump came would otherwise wait on a timer this clock never reaches.
        var dead = (await SuiteFixture.EventuallyAsync(async () =>
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            return (await Host.Client.GetFromJsonAsync<JsonElement>($"/api/notifications/deliveries?instance={email.InstanceId}")).GetProperty("items").EnumerateArray().ToArray();
        }, log => log.Length > 0 && Status(log[0]) == "dead"))[0];
        Assert.StartsWith("Interrupted: the service stopped while sending it", dead.GetProperty("lastError").GetString());
        await SuiteFixture.EventuallyAsync(() => Task.FromResult(failed.Count), count => count == 1);
        await WaitForAsync(inApp.InstanceId, log => Status(log[0]) == "sent");
        var inbox = await Host.Client.GetFromJsonAsync<JsonElement>($"/api/notifications/inbox?user={owner}");
        Assert.Equal("Look at Globex & Partners", Assert.Single(inbox.GetProperty("messages").EnumerateArray()).GetProperty("body").GetString());

        // Morning comes and the interrupted email stays dead rather than going out a second time.
        Clock.AdvanceTo(ParisMorning + TimeSpan.FromSeconds(5));
        await Task.Delay(500);
        Assert.Empty(Smtp.ReceivedBy($"chris.{tag}@globex.example"));
    }

    [Fact]
    public async Task A_delivery_that_cannot_be_sent_is_dead_lettered_alone_and_the_rest_go()
    {
        var tag = Requests.Tag();
        var email = Requests.Request("email", "welcome-email", Requests.Account(tag, "Europe/Paris"), [new RecipientRule("contacts", Role: "champion")]);
        await PublishAsync(email);
        var held = (await WaitForAsync(email.InstanceId, log => log.Length == 1 && log[0].GetProperty("deferredReason").GetString() is not null))[0];
        // Damage it: a chat message with nowhere to go, due now.
        await using (var connection = await Host.Services.GetRequiredService<ServiceDatabase>().OpenAsync())
            await connection.ExecuteAsync("UPDATE deliveries SET channel = 'chat', webhook_url = NULL, next_attempt_at = @now WHERE id = @id",
                new { id = held.GetProperty("id").GetString(), now = Clock.GetUtcNow().ToUnixTimeMilliseconds() });
        var team = Requests.Request("email", "welcome-email", Requests.Account(tag, "Europe/Paris"), [new RecipientRule("owner")]);

        await PublishAsync(team);

        var dead = (await WaitForAsync(email.InstanceId, log => Status(log[0]) == "dead"))[0];
        Assert.StartsWith("Cannot tell where to send it", dead.GetProperty("lastError").GetString());
        await WaitForAsync(team.InstanceId, log => Status(log[0]) == "sent");
        Assert.Single(Smtp.ReceivedBy($"jordan.lee.{tag}@playbooks.example"));
    }

    private Task PublishAsync(NotificationRequested request) =>
        Host.Bus.PublishAsync([EventEnvelopeFactory.Create(EventTypes.NotificationRequested, "engine", request.Account.Id, request, Clock.GetUtcNow())], CancellationToken.None);

    private Task<JsonElement[]> WaitForAsync(string instanceId, Func<JsonElement[], bool> condition) =>
        SuiteFixture.EventuallyAsync(async () =>
            (await Host.Client.GetFromJsonAsync<JsonElement>($"/api/notifications/deliveries?instance={instanceId}")).GetProperty("items").EnumerateArray().ToArray(),
            log => log.Length > 0 && condition(log));

    private static string? Status(JsonElement delivery) => delivery.GetProperty("status").GetString();
}
