using Playbooks.Distributed.Tests.Support;
using Playbooks.Messaging.Contracts;
using Playbooks.Messaging.Outbox;
using Playbooks.Tasks.Storage;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// On PostgreSQL the tasks service creates a task in one statement; it still learns, in the same round trip, whether the
/// task's run has ended (its cancellation was handled first: a request retried after a failure, or two replicas of the
/// service), so the task is not left open for a run that is over.
/// </summary>
public sealed class TaskAfterRunEndedTests : IAsyncLifetime
{
    private ScratchDatabase _scratch = null!;

    public async Task InitializeAsync() => _scratch = await ScratchDatabase.StartAsync("tasks", TasksMigrations.All);

    [Fact]
    public async Task A_task_created_in_one_statement_says_whether_its_runs_cancellation_came_first_also_when_redelivered()
    {
        var store = new SqlTaskStore(_scratch.Database, new Outbox(), TimeProvider.System);
        await store.CancelInstanceAsync("cancel-1", new InstanceTasksCancellationRequested("ended-run", "The customer churned"), CancellationToken.None);

        var afterTheEnd = await store.CreateAsync("request-1", Request("ended-run"), CancellationToken.None);
        var redelivered = await store.CreateAsync("request-1", Request("ended-run"), CancellationToken.None);
        var elsewhere = await store.CreateAsync("request-2", Request("running-run"), CancellationToken.None);

        Assert.True(afterTheEnd is { Created: not null, RunEnded: true });
        Assert.True(redelivered is { Created: null, RunEnded: true });
        Assert.True(elsewhere is { Created: not null, RunEnded: false });
        var cancelled = await store.CancelInstanceAsync("request-1:run-ended", new InstanceTasksCancellationRequested("ended-run", "ended first"), CancellationToken.None);
        Assert.Equal(afterTheEnd.Created!.Id, Assert.Single(cancelled).Id);
    }

    private static TaskRequested Request(string instanceId) => new(instanceId, "kickoff", "enterprise-kickoff", 1, "Enterprise kickoff",
        new AccountSnapshot("acct-1", "Acme", "ann@example.com", null, null, null, null, null, null, null, null, []),
        "Hold kickoff", null, new AssigneeRule("owner"), null, "normal", [], []);

    public async Task DisposeAsync() => await _scratch.DisposeAsync();
}
