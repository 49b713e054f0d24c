using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Engine.Tests.Support;

/// <summary>
/// The real embedded suite, with the steps engine tests repeat: add an account, save and publish a playbook,
/// start a run, read it back, and act on the bus as the Tasks service would.
/// </summary>
public class EngineSuiteFixture : SuiteFixture
{
    public const string Definitions = "/api/engine/definitions";
    public const string Instances = "/api/engine/instances";

    /// <summary>The bus every service of the suite shares (the suite makes a new one on restart).</summary>
    public IEventBus Bus => Engine<IEventBus>();

    public T Engine<T>() where T : notnull => Suite.Services[0].Services.GetRequiredService<T>();

    public BusRecorder RecordBus() => new(Bus);

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>An account of a Japanese enterprise customer, health 50, renewing 2027-06-30; <paramref name="change"/> adjusts it.</summary>
    public static JsonObject NewAccount(string id, Action<JsonObject>? change = null)
    {
        var account = new JsonObject
        {
            ["id"] = id,
            ["name"] = "Acme K.K.",
            ["ownerCsm"] = "aiko@playbooks.example",
            ["csmManager"] = "ken@playbooks.example",
            ["team"] = "japan",
            ["segment"] = "enterprise",
            ["arr"] = 120000,
            ["renewalDate"] = "2027-06-30",
            ["healthScore"] = 50,
            ["lifecycleStage"] = "onboarding",
            ["timeZone"] = "Asia/Tokyo",
            ["contacts"] = new JsonArray(new JsonObject { ["name"] = "Hana Sato", ["email"] = "hana@acme.example", ["role"] = "admin" }),
        };
        change?.Invoke(account);
        return account;
    }

    public async Task<string> AddAccountAsync(Action<JsonObject>? change = null)
    {
        var account = NewAccount(Unique("acct"), change);
        var (response, body) = await PostJsonAsync("/api/engine/accounts", account);
        Assert.True(response.IsSuccessStatusCode, $"adding the account failed: {body}");
        return account["id"]!.GetValue<string>();
    }

    public async Task<JsonElement> CreateAsync(Playbook playbook)
    {
        var (response, body) = await PostJsonAsync(Definitions, playbook.ToJson());
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"creating {playbook.Id} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    public async Task<int> PublishAsync(string definitionId, string? note = null)
    {
        var (response, body) = await PostJsonAsync($"{Definitions}/{definitionId}/publish", new { note });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"publishing {definitionId} answered {(int)response.StatusCode}: {body}");
        return body.GetProperty("version").GetInt32();
    }

    public async Task<string> CreatePublishedAsync(Playbook playbook)
    {
        await CreateAsync(playbook);
        await PublishAsync(playbook.Id, "first version");
        return playbook.Id;
    }

    /// <summary>Starts a run the way a person does (the manual trigger) and returns the instance as the API shows it.</summary>
    public async Task<JsonElement> StartAsync(string definitionId, string accountId, object? variables = null)
    {
        var (response, body) = await PostJsonAsync(Instances, new { definitionId, accountId, variables });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"starting {definitionId} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    public Task<JsonElement> InstanceAsync(string instanceId) => GetJsonAsync($"{Instances}/{instanceId}");

    public Task<JsonElement> WaitForStatusAsync(string instanceId, string status, TimeSpan? timeout = null) =>
        EventuallyAsync(() => InstanceAsync(instanceId), instance => instance.GetProperty("status").GetString() == status, timeout);

    public async Task<JsonElement> SimulateAsync(string definitionId, object request)
    {
        var (response, body) = await PostJsonAsync($"{Definitions}/{definitionId}/simulate", request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"simulating {definitionId} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>A draft saved and simulated against an inline account, the designer's test run.</summary>
    public async Task<JsonElement> SimulateDraftAsync(Playbook playbook, Action<JsonObject>? account = null, int days = 30, object[]? events = null,
        object[]? taskOutcomes = null, string startAt = "2027-04-05T00:00:00Z", object? variables = null)
    {
        await CreateAsync(playbook);
        return await SimulateAsync(playbook.Id, new
        {
            account = NewAccount(Unique("sim"), account),
            days,
            startAt,
            events = events ?? [],
            taskOutcomes = taskOutcomes ?? [],
            variables,
        });
    }

    /// <summary>What the Tasks service publishes when a CSM records <paramref name="outcome"/> on the task a run asked for.</summary>
    public static EventEnvelope TaskCompleted(string instanceId, string accountId, string taskRef, string outcome, string? eventId = null) =>
        EventEnvelopeFactory.Create(EventTypes.TaskCompleted, "tasks", accountId,
            new TaskChanged($"task-{Guid.NewGuid():N}", instanceId, taskRef, accountId, "aiko@playbooks.example", "japan", null,
                DateTimeOffset.UtcNow, outcome, "Went well", "aiko@playbooks.example", DateTimeOffset.UtcNow),
            DateTimeOffset.UtcNow, eventId);

    public static EventEnvelope TaskOverdue(string instanceId, string accountId, string taskRef) =>
        EventEnvelopeFactory.Create(EventTypes.TaskOverdue, "tasks", accountId,
            new TaskChanged($"task-{Guid.NewGuid():N}", instanceId, taskRef, accountId, "aiko@playbooks.example", "japan", DateTimeOffset.UtcNow,
                DateTimeOffset.UtcNow.AddDays(-2)),
            DateTimeOffset.UtcNow);

    public Task PublishAsync(params EventEnvelope[] envelopes) => Bus.PublishAsync(envelopes, CancellationToken.None);
}

/// <summary>Engine tests share one suite and run one class at a time inside it; each test uses its own playbook and account ids.</summary>
[CollectionDefinition(Name)]
public sealed class EngineSuiteCollection : ICollectionFixture<EngineSuiteFixture>
{
    public const string Name = "engine suite";
}

/// <summary>Helpers to read the API's JSON in assertions.</summary>
public static class JsonReading
{
    public static string? Text(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : null;

    public static IReadOnlyList<JsonElement> Items(this JsonElement element, string property) => [.. element.GetProperty(property).EnumerateArray()];

    /// <summary>The journal lines of one activity, in order.</summary>
    public static IReadOnlyList<JsonElement> JournalOf(this JsonElement instance, string activityId) =>
        instance.Items("journal").Where(j => j.Text("activityId") == activityId).ToList();

    /// <summary>A simulation's timeline as (kind, activity, outcome, virtual day) for exact assertions.</summary>
    public static IReadOnlyList<(string Kind, string? Activity, string? Outcome, double Day)> Timeline(this JsonElement simulation) =>
        simulation.Items("timeline").Select(e => (e.Text("kind")!, e.Text("activityId") is { Length: > 0 } a ? a : null, e.Text("outcome"), e.GetProperty("day").GetDouble())).ToList();

    /// <summary>The activities a simulation ran, in order (an activity that waited and resumed appears twice).</summary>
    public static IReadOnlyList<string> PathOf(this JsonElement simulation) => [.. simulation.Items("path").Select(p => p.GetString()!)];

    /// <summary>The validation problem's messages for one JSON path.</summary>
    public static IReadOnlyList<string> ErrorsAt(this JsonElement problem, string path) =>
        problem.GetProperty("errors").TryGetProperty(path, out var messages) ? [.. messages.EnumerateArray().Select(m => m.GetString()!)] : [];
}
