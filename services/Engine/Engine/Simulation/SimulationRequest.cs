using System.Text.Json;
using System.Text.Json.Nodes;
using Playbooks.Engine.Definitions;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Simulation;

/// <summary>
/// A test run under virtual time: which account (stored, or given inline), for how many days, starting when, with which
/// events arriving and which outcomes CSMs record on the tasks the playbook creates.
/// </summary>
public sealed record SimulationRequest
{
    public string? AccountId { get; init; }
    public AccountSnapshot? Account { get; init; }
    /// <summary>A published version to simulate; the draft when absent.</summary>
    public int? Version { get; init; }
    /// <summary>An unsaved definition to simulate (the designer's canvas as it is).</summary>
    public PlaybookDefinition? Definition { get; init; }
    public int Days { get; init; } = 30;
    public DateTimeOffset? StartAt { get; init; }
    public ScriptedEvent? Trigger { get; init; }
    public JsonObject? Variables { get; init; }
    public IReadOnlyList<ScriptedEvent> Events { get; init; } = [];
    public IReadOnlyList<ScriptedTaskOutcome> TaskOutcomes { get; init; } = [];
}

/// <summary>An account event arriving <see cref="After"/> the start (ISO 8601 duration).</summary>
public sealed record ScriptedEvent
{
    public string Type { get; init; } = "";
    public string After { get; init; } = "PT0S";
    public JsonElement? Data { get; init; }
}

/// <summary>
/// The CSM records <see cref="Outcome"/> on the task made by CreateTask <see cref="Task"/> (its <see cref="Visit"/>-th time,
/// for loops) <see cref="After"/> it was created. Tasks without a script stay open and go overdue at their due time.
/// </summary>
public sealed record ScriptedTaskOutcome
{
    public string Task { get; init; } = "";
    public string Outcome { get; init; } = "";
    public string After { get; init; } = "P1D";
    public int Visit { get; init; } = 1;
}
