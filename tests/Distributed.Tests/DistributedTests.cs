using Playbooks.TestSupport.Distributed;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Playbooks.Distributed.Tests.Support;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// The suite in distributed mode under faults: real PostgreSQL and Redis, every service its own process, two engine
/// replicas. The tests share one cluster and run one after another; each leaves every process running when it ends.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class DistributedTests(DistributedCluster cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private const string Stream = EventStream.Name;
    private const string DeadLetters = "playbooks:events:dead";

    [Fact]
    public async Task Distributed_mode_has_no_dev_sign_in_and_every_process_checks_tokens()
    {
        using var anonymous = new HttpClient();

        var options = JsonDocument.Parse(await anonymous.GetStringAsync(new Uri(cluster.Gateway.Address, "/api/auth/options"))).RootElement;
        Assert.False(options.GetProperty("devSignIn").GetBoolean());
        var signIn = await anonymous.PostAsync(new Uri(cluster.Gateway.Address, "/api/auth/dev-sign-in"),
            new StringContent("{\"user\":\"mallory@example.com\",\"role\":\"admin\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, signIn.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri(cluster.Gateway.Address, "/api/engine/instances"))).StatusCode);
        foreach (var engine in cluster.Engines)
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri(engine.Address, "/api/engine/instances"))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await cluster.Http.GetAsync(new Uri(cluster.Gateway.Address, "/api/engine/instances?take=1"))).StatusCode);
    }

    [Fact]
    public async Task Services_start_on_an_empty_database_and_upgrade_data_written_by_the_previous_schema_version()
    {
        await using var connection = new NpgsqlConnection(cluster.Postgres.ConnectionString("playbooks"));
        await connection.OpenAsync();
        foreach (var (schema, migrations) in new[]
                 {
                     ("engine", Engine.Storage.EngineMigrations.All), ("tasks", Tasks.Storage.TasksMigrations.All),
                     ("notifications", Notifications.Storage.NotificationsMigrations.All), ("metrics", Metrics.Storage.MetricsMigrations.All),
                 })
        {
            var applied = (await connection.QueryAsync<int>($"SELECT version FROM \"{schema}\".schema_migrations ORDER BY version")).ToList();
            Assert.Equal(migrations.Select(m => m.Version).Order(), applied);
        }

        // The engine's schema was at N-1 with a published playbook, an account and an unprocessed event; the new version
        // processed the event on its claim path and fired the run's timer on its claim path.
        Assert.True(cluster.Legacy.PreviousVersion < Engine.Storage.EngineMigrations.All.Max(m => m.Version));
        var completed = await DistributedCluster.EventuallyAsync(() => cluster.InstanceCountAsync(cluster.Legacy.DefinitionId, "completed"), n => n == 1,
            Patience, "the run the pre-upgrade event triggered completes");
        Assert.Equal(1, completed);
        var account = await cluster.GetAsync($"/api/engine/accounts/{cluster.Legacy.AccountId}");
        Assert.Equal($"Account {cluster.Legacy.AccountId}", account.GetProperty("name").GetString());
        var status = await cluster.GetAsync($"/api/engine/events/{cluster.Legacy.EventId}");
        Assert.Equal("processed", status.GetProperty("status").GetString());
        // Goals reached moved out of the inbox, which now forgets, with when they were reached.
        var goalReachedAt = await connection.QuerySingleAsync<long>("SELECT reached_at FROM engine.goals_reached WHERE instance_id = @GoalRun", cluster.Legacy);
        Assert.Equal(cluster.Legacy.GoalReachedAt.ToUnixTimeMilliseconds(), goalReachedAt);
        // The other services' data written by their previous versions reads as before.
        var task = (await cluster.GetAsync($"/api/tasks/{cluster.Legacy.TaskId}")).GetProperty("task");
        Assert.Equal(("Call the champion", "open"), (task.GetProperty("title").GetString(), task.GetProperty("status").GetString()));
        var template = await cluster.GetAsync($"/api/notifications/templates/{cluster.Legacy.TemplateId}");
        Assert.Equal("Renewal for {{account.name}} is near", template.GetProperty("textBody").GetString());
    }

    [Fact]
    public async Task Killing_an_engine_replica_while_1000_runs_are_under_way_loses_and_duplicates_nothing()
    {
        await EnsureTemplateAsync();
        var accounts = Enumerable.Range(0, 20).Select(_ => Flows.Unique("kill-acct")).ToList();
        await cluster.AddAccountsAsync(accounts);
        var type = $"kill.{Guid.NewGuid():N}"[..20];
        var definition = Flows.Unique("kill");
        await cluster.PublishAsync(Flows.Chain(definition, type, Flows.Task(), Flows.Delay("PT3S"), Flows.Notify(), Flows.End()));

        const int runs = 1000;
        await cluster.PostAsync("/api/engine/events", Flows.Events(type, accounts, runs, definition));
        var survivor = cluster.Engines[1];
        var victim = cluster.Engines[0];
        // Mid-flow: some runs started, some not yet; the victim holds claims on events and, soon, on timers.
        var started = await DistributedCluster.EventuallyAsync(() => cluster.InstanceCountAsync(definition, via: survivor.Address), n => n >= 300,
            Patience, "a third of the runs started");
        var killedAt = DateTime.UtcNow;
        victim.Kill();
        output.WriteLine($"killed {victim.Name} with {started} runs started");

        try
        {
            await DistributedCluster.EventuallyAsync(() => cluster.InstanceCountAsync(definition, "completed", survivor.Address), n => n == runs,
                Patience, $"all {runs} runs complete on the surviving replica");
            output.WriteLine($"all completed {(DateTime.UtcNow - killedAt).TotalSeconds:F1} s after the kill");
            // The gateway has stopped sending to the dead replica (its readiness probe fails): reads through it all succeed.
            await DistributedCluster.EventuallyAsync(async () =>
            {
                for (var i = 0; i < 20; i++)
                    if (!(await cluster.Http.GetAsync(new Uri(cluster.Gateway.Address, "/api/engine/instances?take=1"))).IsSuccessStatusCode) return false;
                return true;
            }, allAnswered => allAnswered, TimeSpan.FromSeconds(30), "the gateway routes around the dead replica");
            Assert.Equal(runs, await cluster.InstanceCountAsync(definition, via: survivor.Address));

            var tasks = await DistributedCluster.EventuallyAsync(() => cluster.TasksOfAsync(accounts), t => t.Count >= runs, Patience, "every task created");
            var deliveries = await DistributedCluster.EventuallyAsync(() => cluster.DeliveriesOfAsync(accounts), d => d.Count >= runs, Patience, "every notification delivered");
            await Task.Delay(1000); // anything duplicated late would show now
            tasks = await cluster.TasksOfAsync(accounts);
            deliveries = await cluster.DeliveriesOfAsync(accounts);
            Assert.Equal(runs, tasks.Count);
            Assert.Equal(runs, tasks.Select(t => t.Instance).Distinct().Count());
            Assert.Equal(runs, deliveries.Count);
            Assert.Equal(runs, deliveries.Select(d => d.Instance).Distinct().Count());
        }
        finally
        {
            victim.Start();
            await victim.WaitUntilReadyAsync(cluster.Http, TimeSpan.FromSeconds(60));
        }
    }

    [Fact]
    public async Task Restarting_redis_mid_flow_loses_no_event()
    {
        await EnsureTemplateAsync();
        var accounts = Enumerable.Range(0, 5).Select(_ => Flows.Unique("redis-acct")).ToList();
        await cluster.AddAccountsAsync(accounts);
        var type = $"redis.{Guid.NewGuid():N}"[..20];
        var definition = Flows.Unique("redis");
        await cluster.PublishAsync(Flows.Chain(definition, type, Flows.Task(), Flows.Notify(), Flows.End()));

        await cluster.PostAsync("/api/engine/events", Flows.Events(type, accounts, 200, $"{definition}-a"));
        await cluster.Redis.StopAsync();
        try
        {
            // The engine takes events with Redis down: they wait in PostgreSQL, their tasks and messages in the outbox.
            await cluster.PostAsync("/api/engine/events", Flows.Events(type, accounts, 200, $"{definition}-b"));
            await Task.Delay(2000);
        }
        finally
        {
            await cluster.Redis.StartAsync();
        }

        await DistributedCluster.EventuallyAsync(() => cluster.InstanceCountAsync(definition, "completed"), n => n == 400, Patience, "all 400 runs complete");
        var tasks = await DistributedCluster.EventuallyAsync(() => cluster.TasksOfAsync(accounts), t => t.Count >= 400, Patience, "all 400 tasks created");
        var deliveries = await DistributedCluster.EventuallyAsync(() => cluster.DeliveriesOfAsync(accounts), d => d.Count >= 400, Patience, "all 400 notifications delivered");
        Assert.Equal(400, tasks.Select(t => t.Instance).Distinct().Count());
        Assert.Equal(400, deliveries.Select(d => d.Instance).Distinct().Count());
        await Task.WhenAll(cluster.Services.Select(s => s.WaitUntilReadyAsync(cluster.Http, TimeSpan.FromSeconds(30))));
    }

    [Fact]
    public async Task Restarting_postgres_the_services_recover_and_carry_on()
    {
        var accounts = Enumerable.Range(0, 5).Select(_ => Flows.Unique("pg-acct")).ToList();
        await cluster.AddAccountsAsync(accounts);
        var type = $"pg.{Guid.NewGuid():N}"[..20];
        var definition = Flows.Unique("pg");
        await cluster.PublishAsync(Flows.Chain(definition, type, Flows.Task(), Flows.Delay("PT2S"), Flows.End()));

        await cluster.PostAsync("/api/engine/events", Flows.Events(type, accounts, 100, $"{definition}-a"));
        await DistributedCluster.EventuallyAsync(() => cluster.InstanceCountAsync(definition), n => n > 0, Patience, "runs started");
        await cluster.Postgres.StopAsync();
        // Meanwhile a sender is told to try again, not that something unexpected broke. (Asked of a replica: the gateway
        // soon takes replicas whose readiness fails out of rotation and answers 503 itself.)
        using (var refused = await cluster.Http.PostAsJsonAsync(new Uri(cluster.Engines[0].Address, "/api/engine/events"), Flows.Events(type, accounts, 1, $"{definition}-down"), JsonSerializerOptions.Web))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Contains("Database unavailable", await refused.Content.ReadAsStringAsync());
        }
        await Task.Delay(1000);
        await cluster.Postgres.StartAsync();

        // Sending is safe to repeat (events are idempotent by id) while the services' pools find their connections broken.
        var second = Flows.Events(type, accounts, 100, $"{definition}-b");
        await DistributedCluster.EventuallyAsync(async () => { await cluster.PostAsync("/api/engine/events", second); return true; }, ok => ok,
            TimeSpan.FromSeconds(30), "the engine takes events again");
        await Task.WhenAll(cluster.Services.Select(s => s.WaitUntilReadyAsync(cluster.Http, TimeSpan.FromSeconds(30))));
        await DistributedCluster.EventuallyAsync(() => cluster.InstanceCountAsync(definition, "completed"), n => n == 200, Patience, "all 200 runs complete");
        var tasks = await DistributedCluster.EventuallyAsync(() => cluster.TasksOfAsync(accounts), t => t.Count >= 200, Patience, "all 200 tasks created");
        Assert.Equal(200, tasks.Count);
        Assert.Equal(200, tasks.Select(t => t.Instance).Distinct().Count());
    }

    [Fact]
    public async Task A_cron_trigger_fires_once_per_due_time_with_two_replicas_watching_it()
    {
        var prefix = Flows.Unique("cron");
        var accounts = Enumerable.Range(0, 4).Select(i => $"{prefix}-{i}").ToList();
        await cluster.AddAccountsAsync(accounts);
        var definitionId = Flows.Unique("cron");
        var definition = Flows.Chain(definitionId, "cron.unused", Flows.Task());
        definition["triggers"] = new JsonArray(new JsonObject
        {
            ["kind"] = "schedule", ["cron"] = "* * * * *", ["condition"] = $"account.id.indexOf('{prefix}') == 0",
        });
        await cluster.PublishAsync(definition);

        // Both replicas learn of the playbook at once and both see the next minute fall due.
        await DistributedCluster.EventuallyAsync(() => cluster.TasksOfAsync(accounts), t => t.Count >= accounts.Count, TimeSpan.FromSeconds(75), "the first due time's tasks");
        await Task.Delay(TimeSpan.FromSeconds(3));

        // Unpooled: a pooled connection may be one the PostgreSQL restart test cut.
        await using var connection = new NpgsqlConnection(cluster.Postgres.ConnectionString("playbooks") + ";Pooling=false");
        await connection.OpenAsync();
        var fires = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM engine.schedule_fires WHERE definition_id = @definitionId", new { definitionId });
        var runs = (await connection.QueryAsync<(string Account, long Runs)>(
            "SELECT account_id, COUNT(*) FROM engine.instances WHERE definition_id = @definitionId GROUP BY account_id", new { definitionId })).ToList();
        Assert.InRange(fires, 1, 2); // a second minute may have fallen due meanwhile
        Assert.Equal(accounts.Order(), runs.Select(r => r.Account).Order());
        Assert.All(runs, r => Assert.Equal(fires, r.Runs));
        var tasks = await cluster.TasksOfAsync(accounts);
        Assert.Equal(tasks.Count, tasks.Select(t => t.Instance).Distinct().Count());
        // Not firing every minute for the rest of the run (it reads every account each time).
        await cluster.PostAsync($"/api/engine/definitions/{definitionId}/unpublish", new { });
    }

    [Fact]
    public async Task A_message_delivered_twice_has_one_effect()
    {
        await EnsureTemplateAsync();
        var account = Flows.Unique("dup-acct");
        await cluster.AddAccountsAsync([account]);
        var type = $"dup.{Guid.NewGuid():N}"[..20];
        var definition = Flows.Unique("dup");
        await cluster.PublishAsync(Flows.Chain(definition, type, Flows.Task(), Flows.Notify(), Flows.End()));
        await cluster.PostAsync("/api/engine/events", Flows.Events(type, [account], 1, definition));
        var task = (await DistributedCluster.EventuallyAsync(() => cluster.TasksOfAsync([account]), t => t.Count == 1, Patience, "the task created"))[0];
        await DistributedCluster.EventuallyAsync(() => cluster.DeliveriesOfAsync([account]), d => d.Count == 1, Patience, "the notification delivered");

        // Deliver the run's task and notification requests a second time, exactly as the bus carried them.
        using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
        var database = redis.GetDatabase();
        var again = 0;
        foreach (var fields in await EventStream.ReadAllAsync(database))
        {
            if (!fields.TryGetValue("body", out var body) || !body.Contains(task.Instance, StringComparison.Ordinal)) continue;
            if (fields["type"] is not ("task.requested" or "notification.requested")) continue;
            await database.ExecuteAsync("XADD", Stream, "*", "id", fields["id"], "type", fields["type"], "body", body);
            again++;
        }
        Assert.Equal(2, again);

        // A later run's task shows the duplicates were consumed before it (each group reads the stream in order).
        var later = Flows.Unique("dup-later");
        await cluster.AddAccountsAsync([later]);
        await cluster.PostAsync("/api/engine/events", Flows.Events(type, [later], 1, $"{definition}-later"));
        await DistributedCluster.EventuallyAsync(() => cluster.TasksOfAsync([later]), t => t.Count == 1, Patience, "the later task created");
        await DistributedCluster.EventuallyAsync(() => cluster.DeliveriesOfAsync([later]), d => d.Count == 1, Patience, "the later notification delivered");
        Assert.Single(await cluster.TasksOfAsync([account]));
        Assert.Single(await cluster.DeliveriesOfAsync([account]));

        // The task's history records its creation once, with whom it went to.
        var listed = await cluster.GetAsync($"/api/tasks?account={account}&status=open,snoozed,done,cancelled");
        var detail = await cluster.GetAsync($"/api/tasks/{listed.GetProperty("items")[0].GetProperty("id").GetString()}");
        var created = Assert.Single(detail.GetProperty("history").EnumerateArray(), h => h.GetProperty("kind").GetString() == "created");
        Assert.StartsWith("Created by playbook", created.GetProperty("detail").GetString());
        Assert.Equal("aiko@playbooks.example", created.GetProperty("to").GetString());

        // And announced once, as stored: the task.created event is written by the statement that stores the task, and
        // only when it does.
        var announced = (await EventStream.ReadAllAsync(database))
            .Where(fields => fields.GetValueOrDefault("type") == "task.created" && fields.GetValueOrDefault("body", "").Contains(task.Instance, StringComparison.Ordinal))
            .Select(fields => JsonDocument.Parse(fields["body"]).RootElement.GetProperty("data")).ToList();
        var announcedTask = Assert.Single(announced);
        Assert.Equal(listed.GetProperty("items")[0].GetProperty("id").GetString(), announcedTask.GetProperty("taskId").GetString());
        Assert.Equal(task.Activity, announcedTask.GetProperty("activityId").GetString());
        Assert.Equal("aiko@playbooks.example", announcedTask.GetProperty("assignee").GetString());
    }

    [Fact]
    public async Task A_dead_letter_is_listed_and_replayed_to_the_group_that_gave_up_on_it()
    {
        var account = Flows.Unique("dead-acct");
        await cluster.AddAccountsAsync([account]);
        var type = $"dead.{Guid.NewGuid():N}"[..20];
        var definition = Flows.Unique("dead");
        await cluster.PublishAsync(Flows.Chain(definition, type, Flows.Task(), Flows.End()));
        await cluster.PostAsync("/api/engine/events", Flows.Events(type, [account], 1, definition));
        var original = (await DistributedCluster.EventuallyAsync(() => cluster.TasksOfAsync([account]), t => t.Count == 1, Patience, "the task created"))[0];

        // A task request the tasks service gave up on (as after five failed attempts): a new event for a run it never saw.
        using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
        var database = redis.GetDatabase();
        var requested = (await EventStream.ReadAllAsync(database))
            .First(f => f.GetValueOrDefault("type") == "task.requested" && f["body"].Contains(original.Instance, StringComparison.Ordinal));
        var envelope = JsonNode.Parse(requested["body"])!.AsObject();
        var lostInstance = $"lost-{Guid.NewGuid():N}";
        var eventId = Guid.NewGuid().ToString("N");
        envelope["id"] = eventId;
        envelope["data"]!["instanceId"] = lostInstance;
        var onBus = $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}-0";
        await database.ExecuteAsync("XADD", DeadLetters, "*", "group", "tasks", "entry", onBus, "error", "the store was down", "body", envelope.ToJsonString());

        var listed = await cluster.GetAsync("/api/engine/dead-letters");
        Assert.Contains(listed.EnumerateArray(), l => l.GetProperty("eventId").GetString() == eventId && l.GetProperty("group").GetString() == "tasks");
        var replayed = await cluster.PostAsync($"/api/engine/dead-letters/replay?eventId={eventId}", null);
        Assert.Equal(1, replayed.GetProperty("replayed").GetInt32());

        var tasks = await DistributedCluster.EventuallyAsync(() => cluster.TasksOfAsync([account]), t => t.Count == 2, Patience, "the replayed task created");
        Assert.Contains(tasks, t => t.Instance == lostInstance);
        Assert.DoesNotContain((await cluster.GetAsync("/api/engine/dead-letters")).EnumerateArray(), l => l.GetProperty("eventId").GetString() == eventId);
    }

    [Fact]
    public async Task A_publish_on_one_replica_reaches_the_other_at_once()
    {
        var account = Flows.Unique("pub-acct");
        await cluster.AddAccountsAsync([account]);
        var definition = Flows.Unique("pub");
        var (a, b) = (cluster.Engines[0].Address, cluster.Engines[1].Address);
        await cluster.PublishAsync(Flows.Chain(definition, "pub.never", Flows.End()), via: a);
        var first = await cluster.PostAsync(new Uri(b, "/api/engine/instances"), new { definitionId = definition, accountId = account });
        Assert.Equal(1, first.GetProperty("version").GetInt32());

        // Replica b now remembers version 1 as published; version 2 goes out through replica a.
        await cluster.PublishAsync(Flows.Chain(definition, "pub.never", Flows.Delay("PT0S"), Flows.End()), via: a);
        var second = await DistributedCluster.EventuallyAsync(
            () => cluster.PostAsync(new Uri(b, "/api/engine/instances"), new { definitionId = definition, accountId = account }),
            started => started.GetProperty("version").GetInt32() == 2, TimeSpan.FromSeconds(2), "replica b starts version 2 within 2 s (its cache alone would take 5 s)");
        Assert.Equal(2, second.GetProperty("version").GetInt32());
    }

    private async Task EnsureTemplateAsync()
    {
        using var response = await cluster.Http.PutAsync(cluster.Api($"/api/notifications/templates/{Flows.Template}"),
            JsonContent(new { id = Flows.Template, name = "Run finished", channel = "in-app", subject = "Done", textBody = "{{account.name}} is done" }));
        if (!response.IsSuccessStatusCode)
            await cluster.PostAsync("/api/notifications/templates", new { id = Flows.Template, name = "Run finished", channel = "in-app", subject = "Done", textBody = "{{account.name}} is done" });
    }

    private static System.Net.Http.StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), System.Text.Encoding.UTF8, "application/json");
}
