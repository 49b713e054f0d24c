using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;
using static Playbooks.Metrics.Tests.Events;

namespace Playbooks.Metrics.Tests;

/// <summary>
/// A seeded, varied month of suite events touching every table the fold writes: accounts with segments and renewal
/// dates, runs that complete, exit, fault, get cancelled, reach goals and variants, tasks, deliveries, incidents.
/// </summary>
internal static class EventMix
{
    public static IReadOnlyList<EventEnvelope> Create(int seed)
    {
        var random = new Random(seed);
        var events = new List<EventEnvelope>();
        var month = At(2026, 10, 1);
        var accounts = Enumerable.Range(0, 12).Select(i => $"mix-acct-{i}").ToArray();
        foreach (var (account, i) in accounts.Select((a, i) => (a, i)))
            events.Add(AccountChanged(account, i % 3 == 0 ? "enterprise" : "smb", DateOnly.FromDateTime(month.AddDays(20 + 9 * i).UtcDateTime), month, $"csm{i % 4}@example.com", $"team{i % 2}"));

        events.Add(AccountEvent("incident.opened", null, new { id = "mix-inc-1", severity = "SEV-1", accountIds = accounts[..4] }, month.AddDays(3)));
        events.Add(AccountEvent("incident.opened", accounts[5], new { id = "mix-inc-2", severity = 2 }, month.AddDays(9)));
        for (var r = 0; r < 40; r++)
        {
            var (run, playbook, version, account) = ($"mix-run-{r}", r % 5 == 0 ? "renewal-outreach" : $"mix-playbook-{r % 3}", 1 + r % 2, accounts[random.Next(accounts.Length)]);
            var start = month.AddDays(random.Next(20)).AddMinutes(random.Next(1440));
            events.Add(Started(run, playbook, version, account, start, r % 4 == 0 ? "A" : null));
            var at = start;
            foreach (var step in new[] { "start", "email", "wait", "call" }.Take(1 + random.Next(4)))
            {
                at = at.AddMinutes(random.Next(1, 600));
                events.Add(Reached(run, playbook, version, step, $"Type-{step}", account, at));
                if (step == "email") events.Add(Delivery(random.Next(5) == 0 ? EventTypes.NotificationFailed : EventTypes.NotificationSent, run, $"{step}-{r}", account,
                    random.Next(3) == 0 ? "chat" : "email", at.AddMinutes(random.Next(90))));
            }
            if (random.Next(3) == 0) events.Add(Run(EventTypes.GoalReached, run, playbook, version, account, start, at.AddDays(1)));
            var end = at.AddHours(random.Next(1, 200));
            var variant = r % 4 == 1 ? "B" : null;
            switch (random.Next(5))
            {
                case 0: events.Add(Run(EventTypes.InstanceCompleted, run, playbook, version, account, start, end, variant)); break;
                case 1: events.Add(Run(EventTypes.InstanceExited, run, playbook, version, account, start, end, variant)); break;
                case 2: events.Add(Run(EventTypes.InstanceCancelled, run, playbook, version, account, start, end)); break;
                case 3: events.Add(Run(EventTypes.InstanceFaulted, run, playbook, version, account, start, end)); break;
            }
        }
        for (var t = 0; t < 30; t++)
        {
            var (task, csm, team) = ($"mix-task-{t}", $"csm{t % 4}@example.com", $"team{t % 2}");
            var created = month.AddDays(random.Next(25)).AddMinutes(random.Next(1440));
            DateTimeOffset? due = random.Next(4) == 0 ? null : created.AddHours(random.Next(2, 96));
            events.Add(TaskChange(EventTypes.TaskCreated, task, csm, team, created, due, created));
            if (due is { } when && random.Next(2) == 0) events.Add(TaskChange(EventTypes.TaskOverdue, task, csm, team, created, due, when));
            var closed = created.AddHours(random.Next(1, 120));
            if (random.Next(4) > 0) events.Add(TaskChange(EventTypes.TaskCompleted, task, csm, team, created, due, closed, completedAt: closed));
            else events.Add(TaskChange(EventTypes.TaskCancelled, task, csm, team, created, due, closed));
        }
        // Events arrive in the order they happened, as the services' outboxes would publish them.
        return events.OrderBy(e => e.OccurredAt).ToList();
    }
}
