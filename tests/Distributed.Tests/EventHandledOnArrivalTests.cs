using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Distributed.Tests.Support;
using Playbooks.Engine.Triggers;
using Playbooks.Storage;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// On PostgreSQL an account's event that only starts playbooks is handled in the transaction that stores it: the run is
/// there when the sender hears the event was stored, the playbook's cap still holds against a run started elsewhere in
/// the meantime, and a commit that fails loses nothing.
/// </summary>
public sealed class EventHandledOnArrivalTests : IAsyncLifetime
{
    private ScratchDatabase _postgres = null!;
    private ScratchRedis _redis = null!;
    private InProcessEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _postgres = await ScratchDatabase.StartAsync("engine", []);
        _redis = await ScratchRedis.StartAsync("on-arrival");
        _engine = await InProcessEngine.StartAsync(_postgres.ConnectionString, _redis.ConnectionString, Path.Combine(Path.GetTempPath(), "playbooks-on-arrival"));
        await _engine.PublishAsync(UsageDropPlaybook());
        // As the replica that publishes does (PlaybookPublication): its trigger index knows the playbook at once.
        await _engine.Services.GetRequiredService<TriggerIndex>().RefreshAsync(CancellationToken.None);
    }

    [Fact]
    public async Task An_event_that_starts_a_playbook_has_started_it_when_the_sender_hears_it_was_stored()
    {
        var account = await AccountAsync("arrival");

        var appended = await SendAsync("drop-1", account.Id);

        Assert.Equal(1, appended.Added);
        await using var connection = await OpenAsync();
        // No wait for a lane: the run, waiting on its task, and the event's mark were committed with the event.
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM instances i JOIN bookmarks b ON b.instance_id = i.id WHERE i.account_id = @Id AND i.status = 'running' AND b.kind = 'task'", new { account.Id }));
        Assert.NotNull(await connection.ExecuteScalarAsync<long?>("SELECT processed_at FROM account_events WHERE id = 'drop-1'"));

        // Sent again, it is a duplicate and starts nothing more.
        Assert.Equal(0, (await SendAsync("drop-1", account.Id)).Added);
        await _engine.EventsHandledAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM instances WHERE account_id = @Id", new { account.Id }));
    }

    [Fact]
    public async Task A_run_started_elsewhere_while_the_event_is_handled_counts_against_the_cap()
    {
        var account = await AccountAsync("raced");
        // Another start of the playbook for the account (an enrolment, a schedule) holds the cap's lock and has written
        // its run, not yet committed, when the event arrives: the event's context sees no run.
        await using var elsewhere = await OpenAsync();
        await using var transaction = await elsewhere.BeginTransactionAsync();
        await elsewhere.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@key))", new { key = $"{account.Id}|usage-drop" }, transaction);
        await elsewhere.ExecuteAsync(
            """
            INSERT INTO instances (id, definition_id, version, account_id, status, state, revision, created_at, updated_at)
            VALUES ('started-elsewhere', 'usage-drop', 1, @Id, 'running', '{}', 1, 0, 0)
            """, new { account.Id }, transaction);

        var sending = SendAsync("drop-raced", account.Id);
        // The event's commit waits for the cap's lock.
        await Task.Delay(500);
        Assert.False(sending.IsCompleted);
        await transaction.CommitAsync();
        Assert.Equal(1, (await sending).Added);

        await _engine.EventsHandledAsync(TimeSpan.FromSeconds(10));
        await using var connection = await OpenAsync();
        Assert.Equal(["started-elsewhere"], await connection.QueryAsync<string>("SELECT id FROM instances WHERE account_id = @Id", new { account.Id }));
        Assert.NotNull(await connection.ExecuteScalarAsync<long?>("SELECT processed_at FROM account_events WHERE id = 'drop-raced'"));
    }

    [Fact]
    public async Task An_event_whose_commit_fails_is_stored_and_handled_once_all_the_same()
    {
        var account = await AccountAsync("refused");
        await using var connection = await OpenAsync();
        // The database refuses the first run written after this, once (a sequence is not rolled back with the transaction).
        await connection.ExecuteAsync(
            """
            CREATE SEQUENCE refusals;
            CREATE FUNCTION refuse_once() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('refusals') = 1 THEN RAISE EXCEPTION 'refused once'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_once BEFORE INSERT ON instances FOR EACH ROW EXECUTE FUNCTION refuse_once();
            """);
        try
        {
            Assert.Equal(1, (await SendAsync("drop-refused", account.Id)).Added);

            await _engine.EventsHandledAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT last_value FROM refusals"));
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM account_events WHERE id = 'drop-refused' AND processed_at IS NOT NULL"));
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM instances WHERE account_id = @Id AND status = 'running'", new { account.Id }));
        }
        finally
        {
            await connection.ExecuteAsync("DROP TRIGGER refuse_once ON instances");
        }
    }

    /// <summary>A new account, once the change that added it is handled (an account's events are handled in order).</summary>
    private async Task<Playbooks.Messaging.Contracts.AccountSnapshot> AccountAsync(string prefix)
    {
        var account = (await _engine.AccountsAsync(prefix, 1))[0];
        await _engine.EventsHandledAsync(TimeSpan.FromSeconds(10));
        return account;
    }

    private Task<AccountEventLog.Appended> SendAsync(string id, string accountId) =>
        _engine.Services.GetRequiredService<AccountEventLog>().AppendAsync(
            [new AccountEvent { Id = id, Type = "usage.dropped", AccountId = accountId, Data = JsonDocument.Parse("{}").RootElement }], CancellationToken.None);

    private async Task<System.Data.Common.DbConnection> OpenAsync() => await _engine.Services.GetRequiredService<ServiceDatabase>().OpenAsync();

    /// <summary>On usage.dropped: a task for the CSM, then a wait for it; at most one running run per account.</summary>
    private static JsonObject UsageDropPlaybook() => new()
    {
        ["definitionId"] = "usage-drop", ["name"] = "Usage drop",
        ["enrolment"] = new JsonObject { ["maxActivePerAccount"] = 1 },
        ["triggers"] = new JsonArray(new JsonObject { ["kind"] = "event", ["eventType"] = "usage.dropped" }),
        ["activities"] = new JsonArray(
            new JsonObject { ["id"] = "start", ["type"] = "Start" },
            new JsonObject { ["id"] = "call", ["type"] = "CreateTask", ["inputs"] = new JsonObject { ["title"] = "Call {{ account.name }}" } },
            new JsonObject { ["id"] = "wait", ["type"] = "WaitForTask", ["inputs"] = new JsonObject { ["task"] = "call" } }),
        ["connections"] = new JsonArray(
            new JsonObject { ["from"] = "start", ["to"] = "call" },
            new JsonObject { ["from"] = "call", ["to"] = "wait" }),
    };

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
