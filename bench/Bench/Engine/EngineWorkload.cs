using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Instances;
using Playbooks.Engine.Storage;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Bench.Engine;

/// <summary>
/// The accounts and playbooks the engine benchmarks run, embedded on SQLite and distributed on PostgreSQL alike, so
/// their figures compare the stores and not the workloads.
/// </summary>
internal static class EngineWorkload
{
    public static async Task<CompiledPlaybook> PublishAsync(WebApplication app, PlaybookDefinition definition, CancellationToken cancellationToken)
    {
        var problems = app.Services.GetRequiredService<DefinitionValidator>().Validate(definition);
        if (problems.Count > 0) throw new InvalidOperationException($"{definition.DefinitionId}: {string.Join("; ", problems)}");
        var store = app.Services.GetRequiredService<DefinitionStore>();
        await store.CreateAsync(definition, cancellationToken);
        await store.PublishAsync(definition, "benchmark", cancellationToken);
        return (await app.Services.GetRequiredService<PlaybookVersions>().GetPublishedAsync(definition.DefinitionId, cancellationToken))!;
    }

    /// <summary>Starts <paramref name="count"/> runs from <paramref name="workers"/> concurrent callers, cycling through the accounts.</summary>
    public static async Task<TimeSpan> StartManyAsync(InstanceRuntime runtime, CompiledPlaybook playbook, AccountSnapshot[] accounts, int count, int workers,
        CancellationToken cancellationToken)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
                await runtime.StartAsync(playbook, accounts[i % accounts.Length], null, null, null, cancellationToken);
        }, cancellationToken)));
        return clock.Elapsed;
    }

    public static AccountSnapshot Account(int i) => new($"acct-{i:D4}", $"Customer {i}", "aiko@playbooks.example", "ken@playbooks.example", "japan",
        "enterprise", 120000m, new DateOnly(2027, 6, 30), 40 + i % 50, "onboarding", "Asia/Tokyo",
        [new AccountContact("Hana Sato", $"hana{i}@customer.example", "admin")]);

    // Accounts are reused across many runs, so the cap of running instances per account is lifted.
    public static PlaybookDefinition Kickoff => EngineJson.Deserialize<PlaybookDefinition>("""
        {
          "definitionId": "bench-kickoff", "name": "Kickoff",
          "enrolment": { "maxActivePerAccount": 1000000 },
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "welcome", "type": "SendNotification", "inputs": { "channel": "email", "template": "welcome-email", "recipients": [{ "kind": "contacts", "role": "admin" }] } },
            { "id": "kickoff", "type": "CreateTask", "inputs": { "title": "Hold kickoff with {{ account.name }}", "dueIn": "P5D", "outcomes": ["held", "no-show"] } },
            { "id": "wait", "type": "WaitForTask", "inputs": { "task": "kickoff" } },
            { "id": "done", "type": "End" }
          ],
          "connections": [
            { "from": "start", "to": "welcome" }, { "from": "welcome", "to": "kickoff" }, { "from": "kickoff", "to": "wait" },
            { "from": "wait", "outcome": "held", "to": "done" }, { "from": "wait", "outcome": "no-show", "to": "done" }
          ]
        }
        """);

    /// <summary>Start, then pairs of SetVariable and If, then a Delay: a burst of transitions with no I/O between them.</summary>
    public static PlaybookDefinition Chain(out int length)
    {
        const int pairs = 24;
        var activities = new JsonArray { new JsonObject { ["id"] = "start", ["type"] = "Start" } };
        var connections = new JsonArray();
        var previous = "start";
        var outcome = "Done";
        for (var i = 0; i < pairs; i++)
        {
            activities.Add(new JsonObject { ["id"] = $"count{i}", ["type"] = "SetVariable", ["inputs"] = new JsonObject { ["name"] = "n", ["value"] = new JsonObject { ["js"] = "vars.n + 1" } } });
            activities.Add(new JsonObject { ["id"] = $"check{i}", ["type"] = "If", ["inputs"] = new JsonObject { ["condition"] = $"vars.n > {i} && account.healthScore >= 0" } });
            connections.Add(new JsonObject { ["from"] = previous, ["outcome"] = outcome, ["to"] = $"count{i}" });
            connections.Add(new JsonObject { ["from"] = $"count{i}", ["outcome"] = "Done", ["to"] = $"check{i}" });
            (previous, outcome) = ($"check{i}", "True");
        }
        activities.Add(new JsonObject { ["id"] = "later", ["type"] = "Delay", ["inputs"] = new JsonObject { ["duration"] = "P30D" } });
        connections.Add(new JsonObject { ["from"] = previous, ["outcome"] = outcome, ["to"] = "later" });
        length = activities.Count;
        var definition = new JsonObject
        {
            ["definitionId"] = "bench-chain", ["name"] = "Chain",
            ["enrolment"] = new JsonObject { ["maxActivePerAccount"] = 1000000 },
            ["variables"] = new JsonArray { new JsonObject { ["name"] = "n", ["type"] = "number", ["default"] = 0 } },
            ["activities"] = activities, ["connections"] = connections,
        };
        return EngineJson.Deserialize<PlaybookDefinition>(definition.ToJsonString());
    }
}
