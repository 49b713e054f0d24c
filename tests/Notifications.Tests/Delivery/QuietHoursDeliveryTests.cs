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

/// <summary>The service alone on a clock the test moves: quiet hours and crash recovery depend on what time it is.</summary>
public sealed class QuietHoursDeliveryTests : IAsyncLifetime
{
    // Monday 23 November 2026, 21:30 UTC: 22:30 in Paris (quiet), 16:30 in New York (not).
    private static readonly DateTimeOffset LateEvening = new(2026, 11, 23, 21, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ParisMorning = new(2026, 11, 24, 7, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _clock = new(LateEvening);
    private SmtpSink _smtp = null!;
    private NotificationsHost _host = null!;

    public async Task InitializeAsync()
    {
        _smtp = await SmtpSink.StartAsync();
        _host = await NotificationsHost.StartAsync(_clock, new Dictionary<string, string?>
        {
            ["Notifications:Smtp:Host"] = _smtp.Host,
            ["Notifications:Smtp:Port"] = _smtp.Port.ToString(),
            ["Notifications:Delivery:PollInterval"] = "00:00:05",
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

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
        Assert.Single(_smtp.ReceivedBy($"jordan.lee.{tag}@playbooks.example"));

        // An incident notice is urgent; a customer in New York is in the afternoon.
        var incident = Requests.Request("email", "incident-first-notice", Requests.Account(tag, "Europe/Paris"), [new RecipientRule("contacts", Role: "admin")]);
        var newYork = Requests.Request("email", "welcome-email", Requests.Account(Requests.Tag(), "America/New_York"), [new RecipientRule("contacts", Role: "champion")]);
        await PublishAsync(incident);
        await PublishAsync(newYork);
        await WaitForAsync(incident.InstanceId, log => log.Length == 2 && log.All(d => Status(d) == "sent"));
        await WaitForAsync(newYork.InstanceId, log => log.Length == 1 && Status(log[0]) == "sent");
        Assert.All(_smtp.ReceivedBy($"ada.{tag}@globex.example"), mail => Assert.StartsWith("[Incident]", mail.Subject));

        _clock.AdvanceTo(ParisMorning - TimeSpan.FromMinutes(1));
        await Task.Delay(300);
        Assert.DoesNotContain(_smtp.ReceivedBy($"ada.{tag}@globex.example"), mail => mail.Subject.StartsWith("Welcome"));

        _clock.AdvanceTo(ParisMorning + TimeSpan.FromSeconds(5));
        await WaitForAsync(welcome.InstanceId, log => log.All(d => Status(d) == "sent"));
        Assert.Single(_smtp.ReceivedBy($"ada.{tag}@globex.example"), mail => mail.Subject.StartsWith("Welcome"));
        Assert.Single(_smtp.ReceivedBy($"ben.{tag}@globex.example"), mail => mail.Subject.StartsWith("Welcome"));
    }

    [Fact]
    public async Task A_send_interrupted_by_a_crash_is_dead_lettered_not_repeated_and_an_in_app_one_is_resumed()
    {
        var tag = Requests.Tag();
        var email = Requests.Request("email", "welcome-email", Requests.Account(tag, "Europe/Paris"), [new RecipientRule("contacts", Role: "champion")]);
        await PublishAsync(email);
        var held = (await WaitForAsync(email.InstanceId, log => log.Length == 1 && log[0].GetProperty("deferredReason").GetString() is not null))[0];

        await _host.Client.PutAsJsonAsync("/api/notifications/templates/nudge-in-app", new { name = "Nudge", channel = "in-app", textBody = "Look at {{account.name}}" });
        var owner = $"jordan.lee.{tag}@playbooks.example";
        var inApp = Requests.Request("in-app", "nudge-in-app", Requests.Account(tag), [new RecipientRule("owner")]);
        await PublishAsync(inApp);
        var shown = (await WaitForAsync(inApp.InstanceId, log => log.Length == 1 && Status(log[0]) == "sent"))[0];

        // What a process that died mid-send leaves behind: claims whose lease ran out, and for the in-app one no inbox row yet.
        var database = _host.Services.GetRequiredService<ServiceDatabase>();
        await using (var connection = await database.OpenAsync())
        {
            var expired = _clock.GetUtcNow().AddMinutes(-1).ToUnixTimeMilliseconds();
            await connection.ExecuteAsync("UPDATE deliveries SET status = 'sending', lease_until = @expired WHERE id IN (@a, @b)",
                new { expired, a = held.GetProperty("id").GetString(), b = shown.GetProperty("id").GetString() });
            await connection.ExecuteAsync("DELETE FROM inapp_messages WHERE id = @id", new { id = shown.GetProperty("id").GetString() });
        }
        var failed = new List<NotificationDelivered>();
        using var subscription = _host.Bus.Subscribe("test-observer", [EventTypes.NotificationFailed], (envelope, _) =>
        {
            lock (failed) failed.Add(envelope.Data.Deserialize<NotificationDelivered>(JsonSerializerOptions.Web)!);
            return Task.CompletedTask;
        });

        _clock.Advance(TimeSpan.FromSeconds(5)); // the dispatcher's next look for work
        var dead = (await WaitForAsync(email.InstanceId, log => Status(log[0]) == "dead"))[0];
        Assert.StartsWith("Interrupted: the service stopped while sending it", dead.GetProperty("lastError").GetString());
        await SuiteFixture.EventuallyAsync(() => Task.FromResult(failed.Count), count => count == 1);
        await WaitForAsync(inApp.InstanceId, log => Status(log[0]) == "sent");
        var inbox = await _host.Client.GetFromJsonAsync<JsonElement>($"/api/notifications/inbox?user={owner}");
        Assert.Equal("Look at Globex & Partners", Assert.Single(inbox.GetProperty("messages").EnumerateArray()).GetProperty("body").GetString());

        // Morning comes and the interrupted email stays dead rather than going out a second time.
        _clock.AdvanceTo(ParisMorning + TimeSpan.FromSeconds(5));
        await Task.Delay(500);
        Assert.Empty(_smtp.ReceivedBy($"chris.{tag}@globex.example"));
    }

    private Task PublishAsync(NotificationRequested request) =>
        _host.Bus.PublishAsync([EventEnvelopeFactory.Create(EventTypes.NotificationRequested, "engine", request.Account.Id, request, _clock.GetUtcNow())], CancellationToken.None);

    private Task<JsonElement[]> WaitForAsync(string instanceId, Func<JsonElement[], bool> condition) =>
        SuiteFixture.EventuallyAsync(async () =>
            (await _host.Client.GetFromJsonAsync<JsonElement>($"/api/notifications/deliveries?instance={instanceId}")).GetProperty("items").EnumerateArray().ToArray(),
            log => log.Length > 0 && condition(log));

    private static string? Status(JsonElement delivery) => delivery.GetProperty("status").GetString();
}
