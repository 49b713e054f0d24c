using System.Text.Json.Nodes;

namespace Playbooks.Engine.Simulation;

/// <param name="Kind">started, activity, waiting, task.created, task.completed, task.overdue, notification, event, emitted, completed, exited, faulted.</param>
public sealed record TimelineEntry(DateTimeOffset At, double Day, string Kind, string? ActivityId, string? Outcome, string Summary, JsonNode? Details = null);

public sealed record SimulationResult(
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<string> Path,
    JsonObject Variables,
    string? Fault);
