using System.Net;
using System.Text.Json;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Workflows.Tests;

/// <summary>
/// Runs a shipped playbook through the simulation API and reduces its timeline to the lines a CS Ops lead would read:
/// "day 7: task Hold kickoff with Acme". Activity and waiting entries are left out; they are not what the customer or CSM sees.
/// </summary>
internal static class Scenario
{
    public static readonly DateTimeOffset Monday = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static readonly HashSet<string> Visible = ["task.created", "task.completed", "task.overdue", "notification", "event", "emitted", "completed", "exited", "faulted"];

    public static async Task<Result> SimulateAsync(SuiteFixture suite, string playbook, object request)
    {
        var (response, body) = await suite.PostJsonAsync($"/api/engine/definitions/{playbook}/simulate", request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"simulate {playbook}: {(int)response.StatusCode} {body}");
        var lines = body.GetProperty("timeline").EnumerateArray()
            .Where(e => Visible.Contains(e.GetProperty("kind").GetString()!))
            .Select(e => new Line(e.GetProperty("at").GetDateTimeOffset(), e.GetProperty("kind").GetString()!, e.GetProperty("summary").GetString()!))
            .ToList();
        return new Result(body.GetProperty("status").GetString()!, lines);
    }

    public sealed record Line(DateTimeOffset At, string Kind, string Summary)
    {
        public double Day => Math.Round((At - Monday).TotalDays, 2);

        public override string ToString() => $"day {Day}: {Summary}";
    }

    public sealed record Result(string Status, IReadOnlyList<Line> Lines)
    {
        /// <summary>The timeline as "day N: summary" strings, for exact comparison with the expected story.</summary>
        public IReadOnlyList<string> Story => Lines.Select(l => l.ToString()).ToList();

        public IReadOnlyList<string> Of(string kind) => Lines.Where(l => l.Kind == kind).Select(l => l.ToString()).ToList();
    }

    public static object Account(string segment = "smb", int health = 72, decimal arr = 120_000, string renewalDate = "2026-06-30") => new
    {
        id = $"acme-{segment}",
        name = "Acme",
        ownerCsm = "aiko@example.com",
        csmManager = "ken@example.com",
        segment,
        arr,
        healthScore = health,
        renewalDate,
        timeZone = "UTC",
        contacts = new[] { new { name = "Ann", email = "ann@acme.test", role = "admin" }, new { name = "Cho", email = "cho@acme.test", role = "champion" } },
    };
}
