using System.Text.Json;

namespace Playbooks.Engine.Definitions;

/// <summary>What changed between two versions, in the designer's terms: activities, inputs, connections, settings.</summary>
public static class DefinitionDiff
{
    public sealed record Change(string Kind, string Path, string? Before, string? After);

    public static IReadOnlyList<Change> Between(PlaybookDefinition before, PlaybookDefinition after)
    {
        var changes = new List<Change>();
        if (before.Name != after.Name) changes.Add(new("changed", "name", before.Name, after.Name));
        if (before.Description != after.Description) changes.Add(new("changed", "description", before.Description, after.Description));
        Compare(changes, "triggers", Json(before.Triggers), Json(after.Triggers));
        Compare(changes, "enrolment", Json(before.Enrolment), Json(after.Enrolment));
        Compare(changes, "goal", Json(before.Goal), Json(after.Goal));

        var oldVariables = before.Variables.ToDictionary(v => v.Name);
        var newVariables = after.Variables.ToDictionary(v => v.Name);
        foreach (var name in oldVariables.Keys.Except(newVariables.Keys)) changes.Add(new("removed", $"variables.{name}", Json(oldVariables[name]), null));
        foreach (var name in newVariables.Keys.Except(oldVariables.Keys)) changes.Add(new("added", $"variables.{name}", null, Json(newVariables[name])));
        foreach (var name in oldVariables.Keys.Intersect(newVariables.Keys))
            Compare(changes, $"variables.{name}", Json(oldVariables[name]), Json(newVariables[name]));

        var oldActivities = before.Activities.ToDictionary(a => a.Id);
        var newActivities = after.Activities.ToDictionary(a => a.Id);
        foreach (var id in oldActivities.Keys.Except(newActivities.Keys)) changes.Add(new("removed", $"activities.{id}", oldActivities[id].Type, null));
        foreach (var id in newActivities.Keys.Except(oldActivities.Keys)) changes.Add(new("added", $"activities.{id}", null, newActivities[id].Type));
        foreach (var id in oldActivities.Keys.Intersect(newActivities.Keys))
        {
            var (a, b) = (oldActivities[id], newActivities[id]);
            if (a.Type != b.Type) changes.Add(new("changed", $"activities.{id}.type", a.Type, b.Type));
            if (a.DisplayName != b.DisplayName) changes.Add(new("changed", $"activities.{id}.displayName", a.DisplayName, b.DisplayName));
            foreach (var input in a.Inputs.Keys.Union(b.Inputs.Keys))
            {
                var oldValue = a.Inputs.TryGetValue(input, out var x) ? x.GetRawText() : null;
                var newValue = b.Inputs.TryGetValue(input, out var y) ? y.GetRawText() : null;
                Compare(changes, $"activities.{id}.inputs.{input}", oldValue, newValue);
            }
        }

        static string Key(Connection c) => $"{c.From} —{c.Outcome}→ {c.To}";
        var oldConnections = before.Connections.Select(Key).ToHashSet();
        var newConnections = after.Connections.Select(Key).ToHashSet();
        foreach (var c in oldConnections.Except(newConnections)) changes.Add(new("removed", "connections", c, null));
        foreach (var c in newConnections.Except(oldConnections)) changes.Add(new("added", "connections", null, c));
        return changes;
    }

    private static void Compare(List<Change> changes, string path, string? before, string? after)
    {
        if (before == after) return;
        changes.Add(new(before is null ? "added" : after is null ? "removed" : "changed", path, before, after));
    }

    private static string? Json<T>(T value) => value is null ? null : JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
