using System.Text.Json;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Metrics.Tests;

/// <summary>
/// Week buckets and whole-range totals read the weekly tables for whole weeks and the daily tables for the days at
/// either end; day buckets read only the daily tables. Both must tell the same story.
/// </summary>
public sealed class WeeklyBucketTests : IAsyncLifetime
{
    // Friday 2 October to Tuesday 27 October 2026: a partial week at each end, three whole weeks between.
    private const string Range = "from=2026-10-02&to=2026-10-27";

    private static readonly string[] Kpis =
    [
        "runs?groupBy=playbook,version,segment", "funnel?groupBy=playbook", "goals?groupBy=segment", "variants?groupBy=variant",
        "tasks?groupBy=csm,team", "incidents?groupBy=severity", "notifications?groupBy=channel",
    ];

    private MetricsHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await MetricsHost.StartAsync(postgres: null, new ManualTimeProvider(MetricsSuite.Now));
        await _host.Bus.PublishAsync(EventMix.Create(seed: 11), CancellationToken.None);
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task Totals_from_weekly_rollups_equal_totals_from_days_and_each_week_sums_its_days()
    {
        foreach (var kpi in Kpis)
        {
            var byDay = await ReportAsync($"{kpi}&{Range}&bucket=day");
            var byWeek = await ReportAsync($"{kpi}&{Range}&bucket=week");
            var whole = await ReportAsync($"{kpi}&{Range}&bucket=none");

            Assert.NotEmpty(byDay.GetProperty("groups").EnumerateArray());
            Assert.Equal(Totals(byDay), Totals(byWeek));
            Assert.Equal(Totals(byDay), Totals(whole));
            foreach (var (group, weekGroup) in byDay.GetProperty("groups").EnumerateArray().Zip(byWeek.GetProperty("groups").EnumerateArray()))
            foreach (var week in weekGroup.GetProperty("buckets").EnumerateArray())
            {
                var monday = DateOnly.Parse(week.GetProperty("start").GetString()!);
                var days = group.GetProperty("buckets").EnumerateArray()
                    .Where(d => DateOnly.Parse(d.GetProperty("start").GetString()!) is var day && day >= monday && day < monday.AddDays(7))
                    .Select(d => d.GetProperty("figures")).ToList();
                foreach (var counter in Counters(week.GetProperty("figures")))
                    Assert.Equal(week.GetProperty("figures").GetProperty(counter).GetInt64(), days.Sum(d => d.GetProperty(counter).GetInt64()));
            }
        }
    }

    [Theory]
    [InlineData("runs", "playbook", "playbook,version,segment", "durationSamples")]
    [InlineData("runs", "playbook,version", "playbook,version,segment", "durationSamples")]
    [InlineData("tasks", "team", "csm,team", "completionSamples")]
    public async Task Coarse_groupings_read_sketch_rollups_holding_the_same_samples(string kpi, string coarse, string detailed, string samples)
    {
        var rollup = await ReportAsync($"{kpi}?{Range}&groupBy={coarse}&bucket=week");
        var full = await ReportAsync($"{kpi}?{Range}&groupBy={detailed}&bucket=week");

        var keys = coarse.Split(',');
        var expected = full.GetProperty("groups").EnumerateArray()
            .GroupBy(g => string.Join("|", keys.Select(k => g.GetProperty("key").GetProperty(k).ToString())))
            .ToDictionary(g => g.Key, g => g.Sum(x => x.GetProperty("total").GetProperty(samples).GetInt64()));
        var actual = rollup.GetProperty("groups").EnumerateArray()
            .ToDictionary(g => string.Join("|", keys.Select(k => g.GetProperty("key").GetProperty(k).ToString())), g => g.GetProperty("total").GetProperty(samples).GetInt64());
        Assert.Equal(expected, actual);
        Assert.True(actual.Values.Sum() > 0);
    }

    private async Task<JsonElement> ReportAsync(string query) =>
        JsonDocument.Parse(await _host.Client.GetStringAsync($"/api/metrics/kpis/{query}")).RootElement;

    private static string Totals(JsonElement report) =>
        string.Join("\n", report.GetProperty("groups").EnumerateArray().Select(g => $"{g.GetProperty("key")} {g.GetProperty("total")}"));

    // The additive figures: counts, not rates or quantiles (those are compared through the totals above).
    private static IEnumerable<string> Counters(JsonElement figures) => figures.EnumerateObject()
        .Where(p => p.Value.ValueKind == JsonValueKind.Number && !NotAdditive.Any(suffix => p.Name.EndsWith(suffix, StringComparison.Ordinal)))
        .Select(p => p.Name);

    private static readonly string[] NotAdditive = ["Rate", "Adherence", "Minutes", "Ms"];
}
