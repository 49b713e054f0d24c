using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;
using Playbooks.TestSupport;
using Playbooks.TestSupport.Smtp;

namespace Playbooks.Notifications.Tests.Support;

/// <summary>
/// The embedded suite with a real SMTP server and a real webhook receiver on loopback, and short retry and
/// circuit-breaker timings so failure-and-recovery tests take seconds.
/// </summary>
public class NotificationsFixture : SuiteFixture
{
    public const string SigningSecret = "webhook-secret-for-tests";

    public SmtpSink Smtp { get; private set; } = null!;

    public WebhookReceiver Webhooks { get; private set; } = null!;

    public PublishedEvents Events { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => NotificationSettings();

    protected virtual Dictionary<string, string?> NotificationSettings() => new()
    {
        ["Notifications:Smtp:Host"] = Smtp.Host,
        ["Notifications:Smtp:Port"] = Smtp.Port.ToString(),
        ["Notifications:Smtp:From"] = "Acme Customer Success <cs@playbooks.example>",
        ["Notifications:Chat:WebhookUrl"] = Webhooks.Url(),
        ["Notifications:Chat:SigningSecret"] = SigningSecret,
        ["Notifications:Delivery:MaxAttempts"] = "4",
        ["Notifications:Delivery:BaseDelay"] = "00:00:00.200",
        ["Notifications:Delivery:MaxDelay"] = "00:00:01",
        ["Notifications:Delivery:PollInterval"] = "00:00:01",
        ["Notifications:CircuitBreaker:MinimumThroughput"] = "3",
        ["Notifications:CircuitBreaker:FailureRatio"] = "0.5",
        ["Notifications:CircuitBreaker:SamplingDuration"] = "00:00:30",
        ["Notifications:CircuitBreaker:BreakDuration"] = "00:00:03",
        // Quiet hours depend on the wall clock; they are tested with a manual clock in QuietHoursDeliveryTests.
        ["Notifications:QuietHours:Enabled"] = "false",
    };

    public override async Task InitializeAsync()
    {
        Smtp = await SmtpSink.StartAsync();
        Webhooks = await WebhookReceiver.StartAsync();
        await base.InitializeAsync();
        Events.Observe(Bus);
    }

    public override async Task DisposeAsync()
    {
        Events.Dispose();
        await base.DisposeAsync();
        await Webhooks.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    /// <summary>The bus every service of the suite shares; the engine publishes its requests on it.</summary>
    public IEventBus Bus => Suite.Services[0].Services.GetRequiredService<IEventBus>();

    /// <summary>Publishes a request as the engine's SendNotification activity does.</summary>
    public async Task<EventEnvelope> PublishAsync(NotificationRequested request, string? eventId = null)
    {
        var envelope = EventEnvelopeFactory.Create(EventTypes.NotificationRequested, "engine", request.Account.Id, request, DateTimeOffset.UtcNow, eventId);
        await PublishAsync(envelope);
        return envelope;
    }

    public Task PublishAsync(EventEnvelope envelope) => Bus.PublishAsync([envelope], CancellationToken.None);

    /// <summary>The delivery log for one playbook instance.</summary>
    public async Task<JsonElement[]> DeliveriesAsync(string instanceId) =>
        (await GetJsonAsync($"/api/notifications/deliveries?instance={instanceId}")).GetProperty("items").EnumerateArray().ToArray();

    public async Task<JsonElement[]> WaitForDeliveriesAsync(string instanceId, Func<JsonElement[], bool> condition, TimeSpan? timeout = null)
    {
        try
        {
            return await EventuallyAsync(() => DeliveriesAsync(instanceId), condition, timeout);
        }
        catch (TimeoutException)
        {
            var last = await DeliveriesAsync(instanceId);
            throw new TimeoutException($"The delivery log never met the condition; it shows: [{string.Join(", ", last.Select(entry => entry.GetRawText()))}]");
        }
    }

    public static bool AllHaveStatus(JsonElement[] deliveries, string status, int count) =>
        deliveries.Length == count && deliveries.All(delivery => delivery.GetProperty("status").GetString() == status);
}
