using System.Text.Json.Nodes;

namespace Playbooks.Engine.Execution;

/// <summary>One line of a run's history: an activity's execution with what went in, what came out and how it ended.</summary>
/// <param name="Status"><c>completed</c>, <c>waiting</c>, <c>resumed</c>, <c>faulted</c>, or <c>instance</c> for run-level events.</param>
public sealed record JournalEntry(
    string InstanceId,
    string ActivityId,
    string ActivityType,
    string Status,
    string? Outcome,
    JsonNode? Inputs,
    JsonNode? Output,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt);
