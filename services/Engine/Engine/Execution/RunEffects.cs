using System.Text.Json.Nodes;

namespace Playbooks.Engine.Execution;

/// <summary>
/// What one burst of execution produced besides the new state. The runtime commits all of it in one transaction
/// (state, bookmarks, journal, account changes, outbox); the simulator records it on its timeline instead.
/// </summary>
public sealed class RunEffects
{
    public List<JournalEntry> Journal { get; } = [];

    /// <summary>Events for the bus, published through the outbox after commit.</summary>
    public List<OutgoingEvent> Events { get; } = [];

    /// <summary>Account fields set by UpdateAccount, applied with the state.</summary>
    public Dictionary<string, JsonNode?> AccountChanges { get; } = [];

    /// <summary>Activities that ran, in order (the path the run took).</summary>
    public List<string> Path { get; } = [];
}

/// <param name="ActivityId">The activity that emitted it, when one did.</param>
/// <param name="TraceParent">The span of the activity that emitted it (W3C traceparent); null stamps the run's span at commit.</param>
public sealed record OutgoingEvent(string Type, object Data, string? ActivityId = null, string? TraceParent = null);
