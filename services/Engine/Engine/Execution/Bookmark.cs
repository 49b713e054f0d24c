using System.Text.Json.Nodes;

namespace Playbooks.Engine.Execution;

/// <summary>
/// What a suspended activity waits for, keyed so a stimulus finds it with one index lookup:
/// <c>timer</c> (by <see cref="DueAt"/>), <c>task:{instance}:{createTaskActivity}</c>, <c>event:{type}:{account}</c>.
/// </summary>
public sealed record Bookmark(string Id, string ActivityId, string Kind, string Key, DateTimeOffset? DueAt = null, JsonNode? Data = null)
{
    public const string Timer = "timer";
    public const string Task = "task";
    public const string Event = "event";

    public static string TaskKey(string instanceId, string taskActivityId) => $"task:{instanceId}:{taskActivityId}";

    public static string EventKey(string eventType, string accountId) => $"event:{eventType}:{accountId}";
}
