using System.Text.Json;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Notifications.Templates;

/// <summary>A believable account, task and incident for previews, so a designer sees a template filled in before any playbook runs.</summary>
public static class SampleData
{
    public static readonly AccountSnapshot Account = new(
        Id: "acme", Name: "Acme Corp", OwnerCsm: "jordan.lee@playbooks.example", CsmManager: "sam.rivera@playbooks.example",
        Team: "enterprise", Segment: "Enterprise", Arr: 120000m, RenewalDate: new DateOnly(2027, 3, 1), HealthScore: 72,
        LifecycleStage: "adoption", TimeZone: "Europe/Paris",
        Contacts:
        [
            new AccountContact("Ada Martin", "ada.martin@acme.example", "admin"),
            new AccountContact("Chris Dubois", "chris.dubois@acme.example", "champion"),
            new AccountContact("Dana Moreau", "dana.moreau@acme.example", "executive"),
        ]);

    public static readonly NotificationRequested Request = new(
        InstanceId: "sample-instance", ActivityId: "sample-activity", DefinitionId: "sample-playbook", PlaybookName: "Sample playbook",
        Account: Account, Channel: "email", Template: "sample", Recipients: [new RecipientRule("contacts", Role: "admin")],
        Variables: JsonSerializer.SerializeToElement(new
        {
            task = new
            {
                id = "task-42", title = "Call Acme about the usage drop", description = "Weekly active users fell 35% in two weeks.",
                dueAt = "2026-12-01T17:00:00Z", assignee = "jordan.lee@playbooks.example", priority = "high", status = "open", outcome = (string?)null,
                url = "https://playbooks.example/tasks/task-42",
            },
            @event = new
            {
                type = "incident.opened", id = "inc-7", title = "Degraded API performance", service = "Public API",
                status = "investigating", startedAt = "2026-11-22T08:05:00Z", update = "We have identified a faulty database node and are failing over.",
            },
            vars = new
            {
                productName = "Playbooks", csmName = "Jordan Lee", statusPageUrl = "https://status.playbooks.example",
                feature = "automated workflows", meetingUrl = "https://playbooks.example/meet/jordan",
            },
        }, JsonSerializerOptions.Web));

    public static AccountContact Contact => Account.Contacts[0];
}
