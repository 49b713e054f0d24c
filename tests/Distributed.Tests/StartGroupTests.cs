using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Playbooks.Distributed.Tests.Support;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Instances;
using Playbooks.Messaging.Contracts;
using Playbooks.TestSupport.Distributed;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// Runs started together on PostgreSQL are committed in groups (one transaction for many); each run must still keep the
/// rules it has alone. Driven through an <see cref="InProcessEngine"/> on a database and a Redis of its own.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class StartGroupTests(DistributedCluster cluster) : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private InProcessEngine _engine = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        // xUnit makes one instance per test: each gets its own database and Redis.
        var name = $"start_groups_{Guid.NewGuid().ToString("N")[..8]}";
        _redis = new RedisServer(Path.Combine(cluster.Folder, name));
        await _redis.StartAsync();
        await cluster.Postgres.CreateDatabaseAsync(name);
        _connectionString = cluster.Postgres.ConnectionString(name);
        _engine = await InProcessEngine.StartAsync(_connectionString, _redis.ConnectionString, cluster.Folder);
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Runs_started_together_are_each_written_whole_with_their_events()
    {
        var playbook = await PublishAsync("group-kickoff", maxActivePerAccount: 1);
        var accounts = await AccountsAsync("whole", 300);

        var started = await Task.WhenAll(accounts.Select(account => Runtime.StartAsync(playbook, account, null, null, null, CancellationToken.None)));

        Assert.All(started, Assert.NotNull);
        await using var connection = new NpgsqlConnection(_connectionString);
        var ids = started.Select(s => s!.Id).ToArray();
        Assert.Equal(300, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM engine.instances WHERE id = ANY(@ids) AND status = 'running'", new { ids }));
        // …and they were written in groups: far fewer transactions than runs (xmin names the transaction that wrote a row).
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT xmin::text) FROM engine.instances WHERE id = ANY(@ids)", new { ids }) < 150);
        // Each run waits on its task, has its journal (start, task, wait) and stored state, as a lone start leaves it.
        Assert.Equal(300, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM engine.bookmarks WHERE instance_id = ANY(@ids) AND kind = 'task'", new { ids }));
        var journal = (await connection.QueryAsync<(string, long)>(
            "SELECT instance_id, COUNT(*) FROM engine.journal WHERE instance_id = ANY(@ids) GROUP BY instance_id", new { ids })).ToList();
        Assert.Equal(300, journal.Count);
        Assert.All(journal, j => Assert.Equal(3, j.Item2));
        var reloaded = await _engine.Services.GetRequiredService<InstanceStore>().GetAsync(ids[0], CancellationToken.None);
        Assert.Equal("wait", Assert.Single(reloaded!.Bookmarks).ActivityId);
        // Every run's task request left through the outbox onto the bus, once.
        var requested = await TaskRequestsOnTheBusAsync(ids);
        Assert.Equal(300, requested.Count);
        Assert.Equal(300, requested.Distinct().Count());
    }

    [Fact]
    public async Task Runs_started_together_for_one_account_respect_the_playbooks_cap()
    {
        var playbook = await PublishAsync("group-capped", maxActivePerAccount: 2);
        var account = (await AccountsAsync("capped", 1))[0];

        var started = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Runtime.StartAsync(playbook, account, null, null, null, CancellationToken.None)));

        Assert.Equal(2, started.Count(s => s is not null));
        await using var connection = new NpgsqlConnection(_connectionString);
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM engine.instances WHERE account_id = @Id AND definition_id = 'group-capped'", new { account.Id }));
    }

    [Fact]
    public async Task A_trigger_delivered_many_times_at_once_starts_one_run()
    {
        var playbook = await PublishAsync("group-redelivered", maxActivePerAccount: 1_000);
        var account = (await AccountsAsync("redelivered", 1))[0];
        var instanceId = Guid.NewGuid().ToString("N");

        var started = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Runtime.StartAsync(playbook, account, null, null, instanceId, CancellationToken.None)));

        Assert.Single(started, s => s is not null);
        await using var connection = new NpgsqlConnection(_connectionString);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM engine.instances WHERE id = @instanceId", new { instanceId }));
        Assert.Single(await TaskRequestsOnTheBusAsync([instanceId]));
    }

    [Fact]
    public async Task A_group_whose_commit_reply_is_lost_is_settled_by_what_the_database_holds()
    {
        var playbook = await PublishAsync("group-reply-lost", maxActivePerAccount: 1_000);
        var accounts = await AccountsAsync("reply-lost", 30);
        // A run started before, whose trigger comes again among the runs started below.
        var earlierId = Guid.NewGuid().ToString("N");
        Assert.NotNull(await Runtime.StartAsync(playbook, accounts[0], null, null, earlierId, CancellationToken.None));
        // A replica whose connection to PostgreSQL drops as each group's commit is answered: every group is committed,
        // the replica hears of none of them.
        await using var proxy = new ReplyCuttingProxy(cluster.Postgres.Port, "WITH start AS");
        var proxied = new NpgsqlConnectionStringBuilder(_connectionString) { Port = proxy.Port }.ConnectionString;
        await using var replica = await InProcessEngine.StartAsync(proxied, _redis.ConnectionString, cluster.Folder);

        var started = await Task.WhenAll(accounts.Select((account, i) =>
            replica.Runtime.StartAsync(playbook, account, null, null, i == 0 ? earlierId : null, CancellationToken.None)));

        Assert.True(proxy.Cuts > 0);
        // The redelivered trigger is refused; every other run is reported started, and exists once, with its task
        // requested once.
        Assert.Null(started[0]);
        Assert.All(started.Skip(1), Assert.NotNull);
        var ids = started.Skip(1).Select(s => s!.Id).Append(earlierId).ToArray();
        await using var connection = new NpgsqlConnection(_connectionString);
        Assert.Equal(30, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM engine.instances WHERE id = ANY(@ids)", new { ids }));
        Assert.Equal(30, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM engine.instances WHERE definition_id = 'group-reply-lost'"));
        var requested = await TaskRequestsOnTheBusAsync(ids);
        Assert.Equal(30, requested.Count);
        Assert.Equal(30, requested.Distinct().Count());
    }

    [Fact]
    public async Task A_group_the_database_refuses_is_committed_run_by_run_and_leaves_no_lock_behind()
    {
        var playbook = await PublishAsync("group-refused", maxActivePerAccount: 1_000);
        var accounts = await AccountsAsync("refused", 60);
        var poisoned = accounts[17];
        // The database refuses one run's row, so whatever group it lands in fails after its rules were read and its
        // locks taken; each run of that group is then committed on its own.
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.ExecuteAsync($"""
            CREATE FUNCTION engine.refuse_poisoned() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.account_id = '{poisoned.Id}' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_poisoned BEFORE INSERT ON engine.instances FOR EACH ROW EXECUTE FUNCTION engine.refuse_poisoned();
            """);

        var outcomes = await Task.WhenAll(accounts.Select(async account =>
        {
            try { return (account.Id, Run: await Runtime.StartAsync(playbook, account, null, null, null, CancellationToken.None), Failed: false); }
            catch (PostgresException) { return (account.Id, Run: (InstanceState?)null, Failed: true); }
        }));

        Assert.Equal(poisoned.Id, Assert.Single(outcomes, o => o.Failed).Id);
        var ids = outcomes.Where(o => !o.Failed).Select(o => o.Run!.Id).ToArray();
        Assert.Equal(59, ids.Length);
        Assert.Equal(59, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM engine.instances WHERE definition_id = 'group-refused'"));
        Assert.Equal(59, (await TaskRequestsOnTheBusAsync(ids)).Distinct().Count());

        // The failed group's transaction was rolled back with its locks: the same accounts start again at once.
        await connection.ExecuteAsync("DROP TRIGGER refuse_poisoned ON engine.instances");
        var again = await Task.WhenAll(new[] { poisoned, accounts[0] }.Select(account => Runtime.StartAsync(playbook, account, null, null, null, CancellationToken.None)))
            .WaitAsync(TimeSpan.FromSeconds(20));
        Assert.All(again, Assert.NotNull);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'idle in transaction (aborted)'"));
    }

    private InstanceRuntime Runtime => _engine.Runtime;

    private Task<CompiledPlaybook> PublishAsync(string definitionId, int maxActivePerAccount) => _engine.PublishAsync(new JsonObject
    {
        ["definitionId"] = definitionId, ["name"] = definitionId,
        ["enrolment"] = new JsonObject { ["maxActivePerAccount"] = maxActivePerAccount },
        ["activities"] = new JsonArray(
            new JsonObject { ["id"] = "start", ["type"] = "Start" },
            new JsonObject { ["id"] = "task", ["type"] = "CreateTask", ["inputs"] = new JsonObject { ["title"] = "Kickoff with {{ account.name }}" } },
            new JsonObject { ["id"] = "wait", ["type"] = "WaitForTask", ["inputs"] = new JsonObject { ["task"] = "task" } }),
        ["connections"] = new JsonArray(
            new JsonObject { ["from"] = "start", ["to"] = "task" }, new JsonObject { ["from"] = "task", ["to"] = "wait" }),
    });

    private Task<AccountSnapshot[]> AccountsAsync(string prefix, int count) => _engine.AccountsAsync(prefix, count);

    // The instance ids of task.requested events on this replica's stream, once the relay has published them all (and a
    // moment more, for a duplicate that would come after the originals).
    private async Task<List<string>> TaskRequestsOnTheBusAsync(IReadOnlyCollection<string> instanceIds)
    {
        using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var wanted = instanceIds.ToHashSet();
        async Task<List<string>> ReadAsync() => (await EventStream.ReadAllAsync(redis.GetDatabase()))
            .Where(fields => fields.GetValueOrDefault("type") == EventTypes.TaskRequested)
            .Select(fields => System.Text.Json.JsonDocument.Parse(fields["body"]).RootElement.GetProperty("data").GetProperty("instanceId").GetString()!)
            .Where(wanted.Contains)
            .ToList();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await ReadAsync()).Distinct().Count() < wanted.Count && DateTime.UtcNow < deadline) await Task.Delay(200);
        await Task.Delay(1000);
        return await ReadAsync();
    }
}
