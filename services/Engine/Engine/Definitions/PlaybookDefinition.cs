using System.Text.Json;

namespace Playbooks.Engine.Definitions;

/// <summary>
/// A playbook as CS Ops design it: a flowchart of activities joined by their named outcomes, with the triggers that
/// start it, the variables it keeps and the goal it serves. JSON on the wire; <see cref="Version"/> is assigned by publishing.
/// </summary>
public sealed record PlaybookDefinition
{
    public string DefinitionId { get; init; } = "";
    public int? Version { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<TriggerDefinition> Triggers { get; init; } = [];
    public EnrolmentRules? Enrolment { get; init; }
    public GoalDefinition? Goal { get; init; }
    public IReadOnlyList<VariableDefinition> Variables { get; init; } = [];
    public IReadOnlyList<ActivityNode> Activities { get; init; } = [];
    public IReadOnlyList<Connection> Connections { get; init; } = [];
}

/// <summary>One step on the canvas. <see cref="Inputs"/> hold literals or <c>{ "js": "…" }</c> expressions.</summary>
public sealed record ActivityNode
{
    public string Id { get; init; } = "";
    public string Type { get; init; } = "";
    public string? DisplayName { get; init; }
    public IReadOnlyDictionary<string, JsonElement> Inputs { get; init; } = new Dictionary<string, JsonElement>();
    public CanvasPosition? Position { get; init; }
}

public sealed record CanvasPosition(double X, double Y);

/// <summary>When <see cref="From"/> finishes with <see cref="Outcome"/>, <see cref="To"/> runs next.</summary>
public sealed record Connection
{
    public string From { get; init; } = "";
    public string Outcome { get; init; } = "Done";
    public string To { get; init; } = "";
}

/// <summary>A value the run keeps, readable in expressions as <c>vars.name</c>; teams tune timings through these.</summary>
public sealed record VariableDefinition
{
    public string Name { get; init; } = "";
    /// <summary>string, number, boolean, date, list or object.</summary>
    public string Type { get; init; } = "string";
    public JsonElement? Default { get; init; }
    public string? Description { get; init; }
}
