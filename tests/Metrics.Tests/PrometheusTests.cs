using System.Globalization;
using System.Text.RegularExpressions;
using Playbooks.Messaging.Contracts;
using Xunit;
using static Playbooks.Metrics.Tests.Events;

namespace Playbooks.Metrics.Tests;

[Collection(MetricsCollection.Name)]
public sealed partial class PrometheusTests(MetricsSuite suite)
{
    [Fact]
    public async Task The_exposition_parses_and_reports_runs_overdue_tasks_failures_and_bus_lag()
    {
        var (playbook, channel) = (Unique("scrape"), Unique("sms"));
        var before = Parse(await ScrapeAsync("/api/metrics/prometheus"));
        var start = At(2026, 9, 3, 8);
        var runs = Enumerable.Range(1, 3).Select(i => Unique($"p{i}")).ToArray();
        var tasks = Enumerable.Range(1, 3).Select(i => Unique($"late{i}")).ToArray();
        await suite.PublishAsync(
            Started(runs[0], playbook, 1, "acct-p", start), Started(runs[1], playbook, 1, "acct-p", start), Started(runs[2], playbook, 1, "acct-p", start),
            Run(EventTypes.InstanceCompleted, runs[0], playbook, 1, "acct-p", start, start.AddHours(1)),
            Run(EventTypes.InstanceFaulted, runs[1], playbook, 1, "acct-p", start, start.AddHours(1)),
            TaskChange(EventTypes.TaskOverdue, tasks[0], "kim@example.com", "emea", start, start, start),
            TaskChange(EventTypes.TaskOverdue, tasks[1], "kim@example.com", "emea", start, start, start),
            TaskChange(EventTypes.TaskOverdue, tasks[2], "kim@example.com", "emea", start, start, start),
            TaskChange(EventTypes.TaskCompleted, tasks[2], "kim@example.com", "emea", start, start, start.AddHours(2), completedAt: start.AddHours(2)),
            Delivery(EventTypes.NotificationFailed, runs[0], "a", "acct-p", channel, start),
            Delivery(EventTypes.NotificationFailed, runs[0], "b", "acct-p", channel, start),
            // The newest event of the whole suite: 90 seconds before the suite's clock.
            Delivery(EventTypes.NotificationSent, runs[0], "c", "acct-p", channel, MetricsSuite.Now.AddSeconds(-90)));

        var scraped = await ScrapeAsync("/api/metrics/prometheus");
        var after = Parse(scraped);

        // 3 started, 1 completed, 1 faulted (still not ended): 2 running.
        Assert.Equal(2, after[$"playbooks_instances_running{{playbook=\"{playbook}\"}}"]);
        Assert.Equal(3, after[$"playbooks_runs_started_total{{playbook=\"{playbook}\"}}"]);
        Assert.Equal(1, after[$"playbooks_runs_completed_total{{playbook=\"{playbook}\"}}"]);
        Assert.Equal(1, after[$"playbooks_runs_faulted_total{{playbook=\"{playbook}\"}}"]);
        // Three went overdue, one of them was then completed.
        Assert.Equal(before["playbooks_tasks_overdue"] + 2, after["playbooks_tasks_overdue"]);
        Assert.Equal(2, after[$"playbooks_notification_delivery_failures_total{{channel=\"{channel}\"}}"]);
        Assert.Equal(90, after["playbooks_bus_lag_seconds"]);
        Assert.Equal(before["playbooks_metrics_events_folded_total"] + 12, after["playbooks_metrics_events_folded_total"]);
        // The service's own /metrics serves the same exposition.
        Assert.Equal(scraped, await ScrapeAsync(new Uri(suite.ServiceAddress, "/metrics").ToString()));
    }

    private async Task<string> ScrapeAsync(string path)
    {
        using var response = await suite.Client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>
    /// Checks the text format line by line, as a scraper would: HELP and TYPE before a family's samples, each sample
    /// named by a family with a TYPE, label values quoted, values numbers. Returns the samples by name and labels.
    /// </summary>
    private static Dictionary<string, double> Parse(string text)
    {
        Assert.EndsWith("\n", text);
        var help = new HashSet<string>();
        var types = new Dictionary<string, string>();
        var samples = new Dictionary<string, double>();
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (HelpLine().Match(line) is { Success: true } h) { Assert.True(help.Add(h.Groups[1].Value), $"Second HELP for {h.Groups[1].Value}"); continue; }
            if (TypeLine().Match(line) is { Success: true } t)
            {
                Assert.Contains(t.Groups[1].Value, help);
                types.Add(t.Groups[1].Value, t.Groups[2].Value);
                continue;
            }
            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"Not a HELP, TYPE or sample line: '{line}'");
            Assert.True(types.ContainsKey(sample.Groups["name"].Value), $"Sample of {sample.Groups["name"].Value} has no TYPE line");
            samples.Add(sample.Groups["name"].Value + sample.Groups["labels"].Value, double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture));
        }
        Assert.Contains("playbooks_bus_lag_seconds", types.Keys);
        return samples;
    }

    [GeneratedRegex(@"^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*$")]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\]|\\.)*""(?:,[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\]|\\.)*"")*\})? (?<value>-?[0-9.eE+-]+|NaN|[+-]Inf)$")]
    private static partial Regex SampleLine();
}
