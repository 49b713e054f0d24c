using Microsoft.Extensions.DependencyInjection;
using Playbooks.Engine.Tests.Support;
using Playbooks.TestSupport;
using Xunit;
using static Playbooks.Engine.Tests.Triggers.TriggerTestSupport;

namespace Playbooks.Engine.Tests.Triggers;

/// <summary>The engine suite on a clock the test moves: date-relative and cron triggers under virtual time.</summary>
public sealed class ClockedEngineFixture : EngineSuiteFixture
{
    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2027, 1, 4, 8, 0, 0, TimeSpan.Zero)); // a Monday, 08:00 UTC

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

public sealed class TimedTriggerTests(ClockedEngineFixture suite) : IClassFixture<ClockedEngineFixture>
{
    [Fact]
    public async Task A_date_trigger_fires_its_days_before_the_account_date_and_is_replanned_when_the_date_moves()
    {
        var id = await suite.CreatePublishedAsync(Waiting(EngineSuiteFixture.Unique("renew"))
            .Trigger(new { kind = "date", field = "renewalDate", offsetDays = -90 }));
        var today = DateOnly.FromDateTime(suite.Clock.GetUtcNow().UtcDateTime);
        var early = await suite.AddAccountAsync(a => { a["renewalDate"] = today.AddDays(100).ToString("yyyy-MM-dd"); a["timeZone"] = "UTC"; });
        var moved = await suite.AddAccountAsync(a => { a["renewalDate"] = today.AddDays(100).ToString("yyyy-MM-dd"); a["timeZone"] = "UTC"; });
        await Task.Delay(1000);

        // The second account's renewal moves out by a year before its outreach is due.
        var account = EngineSuiteFixture.NewAccount(moved, a => { a["renewalDate"] = today.AddDays(465).ToString("yyyy-MM-dd"); a["timeZone"] = "UTC"; });
        await UpsertAsync(suite, account);
        await Task.Delay(1000);
        Assert.Empty(await RunsAsync(suite, id));

        suite.Clock.Advance(TimeSpan.FromDays(9));   // day 9: not yet (due day 10, 09:00)
        await Task.Delay(1000);
        Assert.Empty(await RunsAsync(suite, id));

        suite.Clock.Advance(TimeSpan.FromDays(1.1)); // day 10, 10:24: due
        var runs = await RunsEventuallyAsync(suite, id, 1);
        Assert.Equal([early], runs.Select(r => r.Text("accountId")));
        await Task.Delay(1000);
        Assert.Single(await RunsAsync(suite, id));   // fired once
    }

    [Fact]
    public async Task A_schedule_fires_once_per_due_time_for_the_accounts_its_condition_selects()
    {
        var segment = $"seg{Guid.NewGuid().ToString("N")[..6]}";
        var id = await suite.CreatePublishedAsync(Playbook.Chain(EngineSuiteFixture.Unique("weekly"), ("end", "End", null))
            .Trigger(new { kind = "schedule", cron = "0 9 * * *", condition = $"account.segment == '{segment}'" })
            .Enrolment(new { maxActivePerAccount = 10 }));
        var chosen = await suite.AddAccountAsync(a => a["segment"] = segment);
        await suite.AddAccountAsync(a => a["segment"] = "other");
        await Task.Delay(1000);

        var start = suite.Clock.GetUtcNow();
        var nextNine = new DateTimeOffset(start.Date.AddHours(start.Hour < 9 ? 9 : 33), TimeSpan.Zero);
        suite.Clock.Advance(nextNine - start + TimeSpan.FromMinutes(1));
        var runs = await RunsEventuallyAsync(suite, id, 1);
        await Task.Delay(1000);
        Assert.Equal([chosen], (await RunsAsync(suite, id)).Select(r => r.Text("accountId")));

        suite.Clock.Advance(TimeSpan.FromDays(1));
        await RunsEventuallyAsync(suite, id, 2);
        await Task.Delay(1000);
        Assert.Equal(2, (await RunsAsync(suite, id)).Count);
    }
}
