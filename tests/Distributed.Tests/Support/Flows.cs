using System.Text.Json.Nodes;

namespace Playbooks.Distributed.Tests.Support;

/// <summary>Playbooks the tests run, as JSON documents, and the events that trigger them.</summary>
public static class Flows
{
    public const string Template = "distributed-tests-done";

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Start, then each step joined to the previous one; triggered by <paramref name="eventType"/>, many runs per account.</summary>
    public static JsonObject Chain(string definitionId, string eventType, params (string Id, string Type, JsonObject? Inputs)[] steps)
    {
        var activities = new JsonArray(new JsonObject { ["id"] = "start", ["type"] = "Start", ["inputs"] = new JsonObject() });
        var connections = new JsonArray();
        var previous = "start";
        foreach (var (id, type, inputs) in steps)
        {
            activities.Add(new JsonObject { ["id"] = id, ["type"] = type, ["inputs"] = inputs ?? new JsonObject() });
            connections.Add(new JsonObject { ["from"] = previous, ["outcome"] = "Done", ["to"] = id });
            previous = id;
        }
        return new JsonObject
        {
            ["definitionId"] = definitionId,
            ["name"] = $"Distributed test {definitionId}",
            ["enrolment"] = new JsonObject { ["maxActivePerAccount"] = 100_000 },
            ["triggers"] = new JsonArray(new JsonObject { ["kind"] = "event", ["eventType"] = eventType }),
            ["activities"] = activities,
            ["connections"] = connections,
        };
    }

    public static (string, string, JsonObject?) Task(string id = "task") =>
        (id, "CreateTask", new JsonObject { ["title"] = "Call {{ account.name }}", ["assignee"] = new JsonObject { ["kind"] = "owner" } });

    public static (string, string, JsonObject?) Delay(string duration, string id = "pause") =>
        (id, "Delay", new JsonObject { ["duration"] = duration });

    public static (string, string, JsonObject?) Notify(string id = "notify") =>
        (id, "SendNotification", new JsonObject
        {
            ["channel"] = "in-app",
            ["template"] = Template,
            ["recipients"] = new JsonArray(new JsonObject { ["kind"] = "owner" }),
        });

    public static (string, string, JsonObject?) End() => ("end", "End", null);

    /// <summary><paramref name="count"/> events of <paramref name="type"/>, spread over <paramref name="accounts"/>.</summary>
    public static JsonArray Events(string type, IReadOnlyList<string> accounts, int count, string idPrefix)
    {
        var events = new JsonArray();
        for (var i = 0; i < count; i++)
            events.Add(new JsonObject { ["id"] = $"{idPrefix}-{i}", ["type"] = type, ["accountId"] = accounts[i % accounts.Count], ["data"] = new JsonObject { ["n"] = i } });
        return events;
    }
}
