using System.Text.Json;
using System.Text.Json.Nodes;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Storage;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Simulation;

/// <summary>
/// Runs a playbook against one account under a virtual clock with no side effects: the same executor as real runs,
/// but its effects go to a timeline, timers jump the clock forward, and scripted events and task outcomes stand in
/// for customers and CSMs. A 120-day playbook finishes in milliseconds.
/// </summary>
public sealed class Simulator(PlaybookExecutor executor, Expressions.ExpressionEvaluator evaluator, TimeProvider clock)
{
    /// <summary>A guard against scripts that would keep a simulation busy forever.</summary>
    public const int MaxStimuli = 10_000;

    public async Task<SimulationResult> RunAsync(CompiledPlaybook playbook, AccountSnapshot account, SimulationRequest request)
    {
        var start = request.StartAt ?? clock.GetUtcNow();
        var end = start.AddDays(request.Days);
        var timeline = new List<TimelineEntry>();
        var path = new List<string>();
        var pending = new PriorityQueue<Stimulus, DateTimeOffset>();
        var taskVisits = new Dictionary<string, int>();

        var trigger = request.Trigger is { } t ? EventPayload(t, account.Id, start) : null;
        var instance = new InstanceState
        {
            Id = "simulation", DefinitionId = playbook.DefinitionId, Version = playbook.Version, AccountId = account.Id,
            CreatedAt = start, UpdatedAt = start, Variables = request.Variables?.DeepClone().AsObject() ?? [],
        };
        var run = new RunContext(account, trigger, start, simulating: true);
        foreach (var scripted in request.Events)
        {
            var at = start + ActivityContext.ParseDuration(scripted.After);
            pending.Enqueue(new Stimulus(Stimulus.AccountEvent, Bookmark.EventKey(scripted.Type, account.Id), EventPayload(scripted, account.Id, at), at), at);
        }

        Record(await executor.StartAsync(playbook, instance, run), start);
        var delivered = 0;
        while (!instance.IsFinished && instance.Status != InstanceStatus.Faulted && delivered++ < MaxStimuli)
        {
            var nextTimer = instance.Bookmarks.Where(b => b.DueAt is not null).MinBy(b => b.DueAt);
            pending.TryPeek(out var nextStimulus, out var nextStimulusAt);
            var useTimer = nextTimer is not null && (nextStimulus is null || nextTimer.DueAt <= nextStimulusAt);
            var at = useTimer ? nextTimer!.DueAt!.Value : nextStimulus is not null ? nextStimulusAt : DateTimeOffset.MaxValue;
            if (at > end) break;
            run.Now = at;
            if (useTimer)
            {
                Record(await executor.ResumeAsync(playbook, instance, run, nextTimer!, new Stimulus(Stimulus.TimerDue, Bookmark.Timer, null, at)), at);
                continue;
            }
            var stimulus = pending.Dequeue();
            if (stimulus.Kind == Stimulus.AccountEvent) timeline.Add(Entry(at, "event", null, null, $"Event {stimulus.Payload?["type"]} arrives", stimulus.Payload));
            if (stimulus.Kind == Stimulus.AccountEvent && ExitsOn(playbook, stimulus, run))
            {
                Record(executor.End(playbook, instance, run, InstanceStatus.Exited, $"Exit condition: {stimulus.Payload?["type"]}"), at);
                break;
            }
            if (stimulus.Kind is Stimulus.TaskCompleted or Stimulus.TaskOverdue)
                timeline.Add(Entry(at, stimulus.Kind, stimulus.Payload?["activityId"]?.ToString(), stimulus.Payload?["outcome"]?.ToString(),
                    stimulus.Kind == Stimulus.TaskCompleted ? $"CSM records '{stimulus.Payload?["outcome"]}' on {stimulus.Payload?["activityId"]}" : $"Task {stimulus.Payload?["activityId"]} is overdue",
                    stimulus.Payload));
            foreach (var bookmark in instance.Bookmarks.Where(b => b.Key == stimulus.Key).ToList())
                Record(await executor.ResumeAsync(playbook, instance, run, bookmark, stimulus), at);
        }

        return new SimulationResult(instance.Status.ToString().ToLowerInvariant(), start, instance.EndedAt ?? run.Now, timeline, path,
            instance.Variables, instance.Fault?.Message);

        void Record(RunEffects effects, DateTimeOffset at)
        {
            path.AddRange(effects.Path);
            // Run-level lines (completed, exited) come last: the tasks and messages of the same moment happened before the end.
            foreach (var entry in effects.Journal.Where(j => j.ActivityType != "Instance"))
                AddJournal(entry);
            foreach (var outgoing in effects.Events)
            {
                switch (outgoing.Data)
                {
                    case TaskRequested task:
                        timeline.Add(Entry(at, "task.created", outgoing.ActivityId, null,
                            $"Task '{task.Title}' for {task.Assignee.Kind}{(task.DueAt is { } d ? $", due day {Day(d):0.##}" : "")}", JsonSerializer.SerializeToNode(task, JsonSerializerOptions.Web)));
                        ScheduleTask(task, at);
                        break;
                    case NotificationRequested notification:
                        timeline.Add(Entry(at, "notification", outgoing.ActivityId, null,
                            $"{notification.Channel} '{notification.Template}' to {string.Join(", ", notification.Recipients.Select(r => r.Role ?? r.Address ?? r.User ?? r.Kind))}",
                            JsonSerializer.SerializeToNode(new { notification.Channel, notification.Template, notification.Recipients }, JsonSerializerOptions.Web)));
                        break;
                    case Activities.Messaging.EmittedAccountEvent emitted:
                        timeline.Add(Entry(at, "emitted", outgoing.ActivityId, null, $"Emits {outgoing.Type}", emitted.Data));
                        break;
                }
            }
            foreach (var entry in effects.Journal.Where(j => j.ActivityType == "Instance"))
                AddJournal(entry);
        }

        void AddJournal(JournalEntry entry)
        {
            var summary = entry.Status switch
            {
                "waiting" => $"{entry.ActivityId} waits",
                "faulted" => $"{entry.ActivityId} failed: {entry.Error}",
                "completed" or "resumed" when entry.ActivityType != "Instance" => $"{entry.ActivityId} → {entry.Outcome ?? "end"}",
                _ => $"Run {entry.Status}: {entry.Error}",
            };
            var kind = entry.ActivityType == "Instance" ? entry.Status : entry.Status == "waiting" ? "waiting" : entry.Status == "faulted" ? "faulted" : "activity";
            timeline.Add(Entry(entry.EndedAt, kind, entry.ActivityId, entry.Outcome, summary, entry.Status == "waiting" ? entry.Output : entry.Output ?? entry.Inputs));
        }

        void ScheduleTask(TaskRequested task, DateTimeOffset createdAt)
        {
            var activity = task.ActivityId.Split('#')[0];
            var visit = taskVisits[activity] = taskVisits.GetValueOrDefault(activity) + 1;
            var script = request.TaskOutcomes.FirstOrDefault(o => o.Task == activity && o.Visit == visit);
            var key = Bookmark.TaskKey(instance.Id, task.ActivityId);
            if (script is not null)
            {
                var at = createdAt + ActivityContext.ParseDuration(script.After);
                var payload = JsonSerializer.SerializeToNode(new TaskChanged("simulated", instance.Id, task.ActivityId, account.Id, task.Account.OwnerCsm, null,
                    task.DueAt, createdAt, script.Outcome, null, task.Account.OwnerCsm, at), JsonSerializerOptions.Web);
                pending.Enqueue(new Stimulus(Stimulus.TaskCompleted, key, payload, at), at);
            }
            else if (task.DueAt is { } due)
            {
                var payload = JsonSerializer.SerializeToNode(new TaskChanged("simulated", instance.Id, task.ActivityId, account.Id, task.Account.OwnerCsm, null, due, createdAt), JsonSerializerOptions.Web);
                pending.Enqueue(new Stimulus(Stimulus.TaskOverdue, key, payload, due), due);
            }
        }

        double Day(DateTimeOffset at) => Math.Round((at - start).TotalDays, 2);

        TimelineEntry Entry(DateTimeOffset at, string kind, string? activityId, string? outcome, string summary, JsonNode? details) =>
            new(at, Day(at), kind, activityId, outcome, summary, details?.DeepClone());
    }

    // As the real event processor does: the exit's event type on this account, and its condition when it has one.
    private bool ExitsOn(CompiledPlaybook playbook, Stimulus stimulus, RunContext run) =>
        playbook.Definition.Enrolment?.ExitOn.Any(exit => stimulus.Key == Bookmark.EventKey(exit.EventType, run.Account.Id)
            && (exit.Condition is not { Length: > 0 } condition
                || evaluator.IsTrue(playbook.Expression(condition), new Expressions.ExpressionScope(run.AccountJson, stimulus.Payload, null, null, run.Now)))) == true;

    private static JsonObject EventPayload(ScriptedEvent scripted, string accountId, DateTimeOffset at) => new()
    {
        ["id"] = Guid.NewGuid().ToString("N"),
        ["type"] = scripted.Type,
        ["accountId"] = accountId,
        ["occurredAt"] = at.ToString("O"),
        ["data"] = scripted.Data is { } data ? JsonSerializer.SerializeToNode(data) : new JsonObject(),
    };
}
