using Playbooks.Messaging.Contracts;

namespace Playbooks.Tasks.Tests;

/// <summary>Task requests as the engine's CreateTask activity sends them; every call names a new run and account.</summary>
internal static class Requests
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static AccountSnapshot Account(string? owner = null, string? manager = null, string? team = "enterprise") => new(
        Unique("acct"), "Acme Corp", owner ?? $"{Unique("csm")}@example.com", manager, team, "enterprise", 120_000m,
        new DateOnly(2027, 3, 1), 72, "onboarding", "Europe/Paris", [new AccountContact("Ann Admin", "ann@acme.example", "admin")]);

    public static TaskRequested Task(
        AccountSnapshot? account = null, AssigneeRule? assignee = null, DateTimeOffset? due = null, string priority = "normal",
        IReadOnlyList<string>? outcomes = null, IReadOnlyList<string>? checklist = null, string? instanceId = null, string activityId = "kickoff",
        string title = "Hold kickoff") => new(
        instanceId ?? Unique("run"), activityId, "enterprise-kickoff", 3, "Enterprise kickoff", account ?? Account(),
        title, "Meet Ann Admin at Acme Corp to agree the rollout plan.", assignee ?? new AssigneeRule("owner"),
        due ?? TasksSuite.Start.AddDays(7), priority, outcomes ?? ["held", "rescheduled", "no-show"], checklist ?? ["Send the agenda", "Book the room"]);
}
