using System.Text.Json.Nodes;

namespace Playbooks.Engine.Execution;

/// <summary>Something that happened and may resume a bookmark: a timer came due, a task was completed or went overdue, an account event arrived.</summary>
public sealed record Stimulus(string Kind, string Key, JsonNode? Payload, DateTimeOffset At)
{
    public const string TimerDue = "timer";
    public const string TaskCompleted = "task.completed";
    public const string TaskOverdue = "task.overdue";
    public const string AccountEvent = "event";
}
