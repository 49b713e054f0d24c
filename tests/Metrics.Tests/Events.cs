using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Metrics.Tests;

/// <summary>Events as the other services publish them, at the times a test chooses.</summary>
internal static class Events
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public static DateTimeOffset At(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    public static EventEnvelope Run(string type, string instanceId, string playbook, int version, string account, DateTimeOffset startedAt,
        DateTimeOffset at, string? variant = null, string? reason = null) =>
        EventEnvelopeFactory.Create(type, "engine", account,
            new InstanceChanged(instanceId, playbook, version, $"Playbook {playbook}", account, startedAt, reason, variant), at);

    public static EventEnvelope Started(string instanceId, string playbook, int version, string account, DateTimeOffset at, string? variant = null) =>
        Run(EventTypes.InstanceStarted, instanceId, playbook, version, account, at, at, variant);

    public static EventEnvelope Reached(string instanceId, string playbook, int version, string activityId, string activityType, string account, DateTimeOffset at) =>
        EventEnvelopeFactory.Create(EventTypes.ActivityReached, "engine", account,
            new ActivityReached(instanceId, playbook, version, activityId, activityType, account), at);

    /// <summary>A burst's activities in one event, as the engine sends them; <see cref="Reached"/> is how it sent them before.</summary>
    public static EventEnvelope Burst(string instanceId, string playbook, int version, string account, DateTimeOffset at, params (string Id, string Type)[] activities) =>
        EventEnvelopeFactory.Create(EventTypes.ActivitiesReached, "engine", account,
            new ActivitiesReached(instanceId, playbook, version, account, [.. activities.Select(a => new ReachedActivity(a.Id, a.Type))]), at);

    public static EventEnvelope TaskChange(string type, string taskId, string? assignee, string? team, DateTimeOffset createdAt, DateTimeOffset? dueAt,
        DateTimeOffset at, DateTimeOffset? completedAt = null) =>
        EventEnvelopeFactory.Create(type, "tasks", "acct-tasks",
            new TaskChanged(taskId, "run-tasks", taskId, "acct-tasks", assignee, team, dueAt, createdAt,
                CompletedBy: completedAt is null ? null : assignee, CompletedAt: completedAt), at);

    public static EventEnvelope Delivery(string type, string instanceId, string activityId, string account, string channel, DateTimeOffset at,
        string recipient = "ann@acme.example") =>
        EventEnvelopeFactory.Create(type, "notifications", account,
            new NotificationDelivered(Guid.NewGuid().ToString("N"), instanceId, activityId, account, channel, recipient, 1,
                type == EventTypes.NotificationFailed ? "550 mailbox unavailable" : null), at);

    /// <summary>An account event as the engine republishes it: its own type, source "account", the sender's data.</summary>
    public static EventEnvelope AccountEvent(string type, string? account, object data, DateTimeOffset at) =>
        EventEnvelopeFactory.Create(type, EventTypes.AccountEventSource, account, data, at);

    public static EventEnvelope AccountChanged(string account, string segment, DateOnly? renewal, DateTimeOffset at, string owner = "sam@example.com", string team = "emea") =>
        AccountEvent("account.changed", account, new
        {
            before = (AccountSnapshot?)null,
            after = new AccountSnapshot(account, $"Account {account}", owner, null, team, segment, 50_000m, renewal, 70, "adopted", "UTC", []),
        }, at);
}
