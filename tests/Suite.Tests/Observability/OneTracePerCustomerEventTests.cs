using System.Diagnostics;
using Playbooks.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Playbooks.Suite.Tests.Observability;

/// <summary>
/// SREs follow one customer event through the suite as one trace: the shipped kickoff playbook, triggered by
/// <c>contract.signed</c> through the gateway, sends a welcome email and creates a task; every hop continues the trace.
/// </summary>
public sealed class OneTracePerCustomerEventTests(ObservedSuiteFixture suite, ITestOutputHelper output) : IClassFixture<ObservedSuiteFixture>
{
    private static readonly string[] Components = ["gateway", "engine", "tasks", "notifications", "metrics"];

    [Fact]
    public async Task A_signed_contract_is_one_trace_through_gateway_engine_tasks_notifications_and_metrics()
    {
        await suite.UpsertAccountAsync("traced");
        var trace = await PostInOwnTraceAsync(new { id = "traced-signed", type = "contract.signed", accountId = "traced" });

        var spans = await SuiteFixture.EventuallyAsync(
            () => Task.FromResult(suite.Telemetry.SpansOf(trace)),
            found => Components.All(component => found.Any(span => Service(span) == component))
                     && found.Count(span => span.OperationName == "consume task.requested" && Service(span) == "tasks") == 2
                     && found.Any(span => span.OperationName == "send email notification")
                     // Spans are captured as they end, parents after their children: wait until every parent is in.
                     && found.Where(span => span.Source != TelemetryCapture.TestSource).All(span => found.Any(parent => parent.SpanId == span.ParentSpanId)),
            TimeSpan.FromSeconds(20));
        foreach (var span in spans.OrderBy(s => s.StartTimeUtc))
            output.WriteLine($"{span.StartTimeUtc:HH:mm:ss.fff} {Service(span),-13} {span.Source.Name,-20} {span.OperationName} {span.SpanId} ← {span.ParentSpanId}");

        Assert.All(Components, component => Assert.Contains(spans, span => Service(span) == component));

        // The request: server spans name the route and status, as SREs filter by them.
        Assert.Contains(spans, span => Service(span) == "engine" && span.Kind == ActivityKind.Server
                                       && (span.GetTagItem("http.route") as string ?? "").StartsWith("/api/engine/events", StringComparison.Ordinal) && span.GetTagItem("http.response.status_code") is 202);

        // The run: one span per instance run and one per activity under it, tagged with what SREs search by.
        var run = Assert.Single(spans, span => span.OperationName == "playbook start");
        Assert.Equal("kickoff", run.GetTagItem("playbooks.definition"));
        Assert.NotNull(run.GetTagItem("playbooks.version"));
        Assert.NotNull(run.GetTagItem("playbooks.instance"));
        Assert.Equal("traced", run.GetTagItem("playbooks.account"));
        var welcome = Assert.Single(spans, span => span.OperationName == "activity SendNotification");
        var createTasks = spans.Where(span => span.OperationName == "activity CreateTask").ToList();
        Assert.Equal(2, createTasks.Count); // prepare and hold kickoff, on parallel branches
        foreach (var activity in createTasks.Append(welcome))
        {
            Assert.Equal(run.SpanId, activity.ParentSpanId);
            Assert.Equal(run.GetTagItem("playbooks.instance"), activity.GetTagItem("playbooks.instance"));
            Assert.Equal("kickoff", activity.GetTagItem("playbooks.definition"));
            Assert.Equal("traced", activity.GetTagItem("playbooks.account"));
        }
        Assert.Equal("welcome", welcome.GetTagItem("playbooks.activity.id"));

        // Across the bus (published later by the outbox relay): each consumer span's parent is the span that emitted the event.
        var taskConsumers = spans.Where(span => span.OperationName == "consume task.requested" && Service(span) == "tasks").ToList();
        Assert.Equal(createTasks.Select(span => span.SpanId.ToHexString()).Order(), taskConsumers.Select(span => span.ParentSpanId.ToHexString()).Order());
        var notificationConsumer = Assert.Single(spans, span => span.OperationName == "consume notification.requested" && Service(span) == "notifications");
        Assert.Equal(welcome.SpanId, notificationConsumer.ParentSpanId);
        Assert.Contains(spans, span => span.OperationName == "send email notification" && span.ParentSpanId == notificationConsumer.SpanId);
        Assert.Contains(spans, span => Service(span) == "metrics" && span.Kind == ActivityKind.Consumer);

        // No hop starts a trace of its own: every span's parent is in the trace, back to the test's own root span.
        var ids = spans.Select(span => span.SpanId).ToHashSet();
        Assert.All(spans.Where(span => span.Source != TelemetryCapture.TestSource), span => Assert.Contains(span.ParentSpanId, ids));
    }

    [Fact]
    public async Task A_completed_task_resumes_the_run_in_the_trace_of_the_csm_request()
    {
        await suite.UpsertAccountAsync("resumed");
        await suite.PostEventAsync(new { id = "resumed-signed", type = "contract.signed", accountId = "resumed" });
        var tasks = await SuiteFixture.EventuallyAsync(
            () => suite.GetJsonAsync($"/api/tasks?assignee={Uri.EscapeDataString(ObservedSuiteFixture.Csm)}&account=resumed"),
            page => page.GetProperty("items").EnumerateArray().Any(t => t.GetProperty("title").GetString()!.StartsWith("Hold kickoff", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20));
        var hold = tasks.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("title").GetString()!.StartsWith("Hold kickoff", StringComparison.Ordinal));

        ActivityTraceId trace;
        using (var root = TelemetryCapture.TestSource.StartActivity("csm completes a task", ActivityKind.Client)!)
        {
            trace = root.TraceId;
            var (response, _) = await suite.PostJsonAsync($"/api/tasks/{hold.GetProperty("id").GetString()}/complete", new { outcome = "held" });
            Assert.True(response.IsSuccessStatusCode);
        }

        var spans = await SuiteFixture.EventuallyAsync(
            () => Task.FromResult(suite.Telemetry.SpansOf(trace)),
            // Spans are captured as they end, and the consumer's ends after the resume inside it: wait for both.
            found => found.Any(span => span.OperationName == "playbook resume"
                                       && found.Any(parent => parent.SpanId == span.ParentSpanId)), TimeSpan.FromSeconds(20));
        var resume = spans.Single(span => span.OperationName == "playbook resume");
        Assert.Equal("task.completed", resume.GetTagItem("playbooks.stimulus"));
        Assert.Equal("resumed", resume.GetTagItem("playbooks.account"));
        var consumer = spans.Single(span => span.SpanId == resume.ParentSpanId);
        Assert.Equal("consume task.completed", consumer.OperationName);
        Assert.Equal("engine", Service(consumer));
    }

    [Fact]
    public async Task Logs_written_while_handling_the_event_carry_its_trace()
    {
        await suite.UpsertAccountAsync("logged");
        var trace = await PostInOwnTraceAsync(new { id = "logged-signed", type = "contract.signed", accountId = "logged" });

        // The tasks service logs each task it creates, inside its consumer span (as every logger provider sees it).
        var created = await SuiteFixture.EventuallyAsync(
            () => Task.FromResult(suite.Telemetry.Logs.Where(log => log.Category.EndsWith("TaskRequestedConsumer", StringComparison.Ordinal)
                                                                   && log.Message.StartsWith("Created task", StringComparison.Ordinal)
                                                                   && log.TraceId == trace).ToList()),
            found => found.Count > 0, TimeSpan.FromSeconds(20));

        var line = created[0];
        // The consumer span is captured when it ends, a moment after the log line written inside it.
        var consumer = (await SuiteFixture.EventuallyAsync(() => Task.FromResult(suite.Telemetry.SpansOf(trace)),
            found => found.Any(span => span.SpanId == line.SpanId), TimeSpan.FromSeconds(20))).Single(span => span.SpanId == line.SpanId);
        Assert.Equal("consume task.requested", consumer.OperationName);

        // The record OpenTelemetry exports over OTLP carries the same trace and span.
        var exported = await SuiteFixture.EventuallyAsync(
            () => Task.FromResult(suite.Telemetry.OtelLogs.Where(log => log.Category.EndsWith("TaskRequestedConsumer", StringComparison.Ordinal)
                                                                       && log.TraceId == trace).ToList()),
            found => found.Count > 0);
        Assert.Contains(exported, log => log.SpanId == consumer.SpanId && log.Message.StartsWith("Created task", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Instruments_record_instances_activity_durations_and_bus_lag()
    {
        await suite.UpsertAccountAsync("measured");
        await suite.PostEventAsync(new { id = "measured-drop", type = "usage.dropped", accountId = "measured" });
        await suite.PostEventAsync(new { id = "measured-recovered", type = "usage.recovered", accountId = "measured" });
        await suite.PostEventAsync(new { id = "measured-signed", type = "contract.signed", accountId = "measured" });

        await SuiteFixture.EventuallyAsync(
            () => Task.FromResult(suite.Telemetry.MeasurementsOf("playbooks.instances.completed")),
            found => found.Any(m => (string?)m["playbooks.definition"] == "adoption-nudges"),
            TimeSpan.FromSeconds(20));

        Assert.Contains(suite.Telemetry.MeasurementsOf("playbooks.instances.started"), m => (string?)m["playbooks.definition"] == "adoption-nudges" && m.Value == 1);
        var durations = suite.Telemetry.MeasurementsOf("playbooks.activity.duration");
        Assert.Contains(durations, m => m["playbooks.activity.type"] is "WaitForEvent" or "Start");
        Assert.All(durations, m => Assert.True(m.Value >= 0 && m["playbooks.activity.result"] is not null));
        var lag = await SuiteFixture.EventuallyAsync(
            () => Task.FromResult(suite.Telemetry.MeasurementsOf("playbooks.bus.consumer.lag")),
            found => new[] { "tasks", "notifications", "metrics" }.All(group => found.Any(m => (string?)m["messaging.consumer.group.name"] == group))
                     && found.Any(m => (string?)m["messaging.message.type"] == "playbook.completed" && (string?)m["messaging.consumer.group.name"] == "metrics"),
            TimeSpan.FromSeconds(20));
        Assert.All(lag, m => Assert.InRange(m.Value, 0, 60));

        // The suite here has no mail server: the kickoff's welcome email fails and will be retried.
        await SuiteFixture.EventuallyAsync(
            () => Task.FromResult(suite.Telemetry.MeasurementsOf("playbooks.notifications.delivery_failures")),
            found => found.Any(m => (string?)m["channel"] == "email" && m["final"] is false),
            TimeSpan.FromSeconds(20));
    }

    private async Task<ActivityTraceId> PostInOwnTraceAsync(object accountEvent)
    {
        using var root = TelemetryCapture.TestSource.StartActivity("customer event", ActivityKind.Client)!;
        await suite.PostEventAsync(accountEvent);
        return root.TraceId;
    }

    private static string? Service(Activity span) => span.GetTagItem("playbooks.service") as string;
}
