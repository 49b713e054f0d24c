using System.Text.Json;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Notifications.Tests.Support;

/// <summary>Notification requests shaped as the engine sends them, with addresses unique to each test.</summary>
public static class Requests
{
    public static string NewInstance() => $"inst-{Guid.NewGuid():N}";

    /// <summary>An account whose people all have addresses tagged with <paramref name="tag"/>, so a test finds its own mail.</summary>
    public static AccountSnapshot Account(string tag, string? timeZone = "Europe/Paris") => new(
        Id: $"acct-{tag}", Name: "Globex & Partners", OwnerCsm: $"jordan.lee.{tag}@playbooks.example", CsmManager: $"sam.rivera.{tag}@playbooks.example",
        Team: "enterprise", Segment: "Enterprise", Arr: 240000m, RenewalDate: new DateOnly(2027, 3, 1), HealthScore: 58,
        LifecycleStage: "renewal", TimeZone: timeZone,
        Contacts:
        [
            new AccountContact("Ada Martin", $"ada.{tag}@globex.example", "admin"),
            new AccountContact("Ben Okafor", $"ben.{tag}@globex.example", "admin"),
            new AccountContact("Chris Dubois", $"chris.{tag}@globex.example", "champion"),
        ]);

    public static NotificationRequested Request(
        string channel, string template, AccountSnapshot account, IReadOnlyList<RecipientRule> recipients, object? variables = null, string? instanceId = null) =>
        new(instanceId ?? NewInstance(), "notify-1", "def-1", "Test playbook", account, channel, template, recipients,
            JsonSerializer.SerializeToElement(variables ?? new { }, JsonSerializerOptions.Web));

    public static string Tag() => Guid.NewGuid().ToString("N")[..10];
}
