using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Bench.Metrics;

/// <summary>
/// The events of playbook runs as the suite publishes them, ten per run: started, five activities reached, a task
/// created and completed, a notification sent, completed. Each run's events are in causal order.
/// </summary>
internal static class SyntheticRuns
{
    public const int EventsPerRun = 10;

    private static readonly string[] Activities = ["start", "welcome-email", "wait-login", "kickoff-task", "check-in"];

    public static IReadOnlyList<EventEnvelope> For(int firstRun, int runs, DateTimeOffset start)
    {
        var events = new List<EventEnvelope>(runs * EventsPerRun);
        for (var r = firstRun; r < firstRun + runs; r++)
        {
            var (instance, playbook, version, account) = ($"bench-run-{r}", TenMillionEvents.PlaybookName(r % 40), 1 + r % 3, $"account-{r % 5000}");
            var (csm, team) = ($"csm{r % 200}@example.com", $"team{r % 10}");
            var at = start.AddSeconds(r * 7);
            events.Add(Run(EventTypes.InstanceStarted, instance, playbook, version, account, at, at));
            for (var a = 0; a < Activities.Length; a++)
                events.Add(EventEnvelopeFactory.Create(EventTypes.ActivityReached, "engine", account,
                    new ActivityReached(instance, playbook, version, Activities[a], "Activity", account), at.AddMinutes(a)));
            var task = $"bench-task-{r}";
            var due = at.AddDays(2);
            events.Add(EventEnvelopeFactory.Create(EventTypes.TaskCreated, "tasks", account,
                new TaskChanged(task, instance, "kickoff-task", account, csm, team, due, at.AddMinutes(3)), at.AddMinutes(3)));
            var done = at.AddHours(5 + r % 60);
            events.Add(EventEnvelopeFactory.Create(EventTypes.TaskCompleted, "tasks", account,
                new TaskChanged(task, instance, "kickoff-task", account, csm, team, due, at.AddMinutes(3), "held", null, csm, done), done));
            events.Add(EventEnvelopeFactory.Create(EventTypes.NotificationSent, "notifications", account,
                new NotificationDelivered($"bench-delivery-{r}", instance, "welcome-email", account, "email", "ann@example.com", 1), at.AddMinutes(1)));
            events.Add(Run(EventTypes.InstanceCompleted, instance, playbook, version, account, at, done.AddHours(1)));
        }
        return events;
    }

    private static EventEnvelope Run(string type, string instance, string playbook, int version, string account, DateTimeOffset startedAt, DateTimeOffset at) =>
        EventEnvelopeFactory.Create(type, "engine", account, new InstanceChanged(instance, playbook, version, playbook, account, startedAt), at);
}
