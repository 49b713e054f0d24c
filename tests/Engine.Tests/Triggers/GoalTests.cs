using Playbooks.Engine.Tests.Support;
using Playbooks.Messaging.Contracts;
using Playbooks.Messaging.Inbox;
using Playbooks.Storage;
using Playbooks.TestSupport;
using Xunit;
using static Playbooks.Engine.Tests.Triggers.TriggerTestSupport;

namespace Playbooks.Engine.Tests.Triggers;

[Collection(EngineSuiteCollection.Name)]
public sealed class GoalTests(EngineSuiteFixture suite)
{
    [Fact]
    public async Task A_run_reaches_its_goal_once_however_often_the_goal_event_comes_and_after_the_inbox_forgot()
    {
        var trigger = UniqueEventType();
        var goal = UniqueEventType("recovered");
        var id = await suite.CreatePublishedAsync(Waiting(EngineSuiteFixture.Unique("goal")).Trigger(new { kind = "event", eventType = trigger }).Goal(goal, 21));
        var account = await suite.AddAccountAsync();
        using var bus = suite.RecordBus();
        await PostEventsAsync(suite, new { id = EngineSuiteFixture.Unique("t"), type = trigger, accountId = account });
        var run = (await RunsEventuallyAsync(suite, id, 1, account))[0].Text("id")!;

        var first = EngineSuiteFixture.Unique("g");
        await PostEventsAsync(suite, new { id = first, type = goal, accountId = account });
        var reached = await bus.WaitForAsync(EventTypes.GoalReached, account);
        // Another goal event in the window, and then one after the inbox has forgotten every event it handled.
        var second = EngineSuiteFixture.Unique("g");
        await PostEventsAsync(suite, new { id = second, type = goal, accountId = account });
        await WaitProcessedAsync(suite, second);
        await InboxPruner.PruneAsync(suite.Engine<ServiceDatabase>(), DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None);
        var third = EngineSuiteFixture.Unique("g");
        await PostEventsAsync(suite, new { id = third, type = goal, accountId = account });
        // The engine republishes a handled event after committing what handling it emitted, in order: once the third is
        // on the bus, a goal it reached would be too.
        await SuiteFixture.EventuallyAsync(() => Task.FromResult(bus.Events.Any(e => e.Id == third)), seen => seen, TimeSpan.FromSeconds(10));

        Assert.Contains(run, reached.Data.GetRawText());
        Assert.Single(bus.Of(EventTypes.GoalReached, account));
    }
}
