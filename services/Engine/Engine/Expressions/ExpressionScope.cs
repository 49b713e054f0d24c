using System.Text.Json.Nodes;

namespace Playbooks.Engine.Expressions;

/// <summary>
/// What an expression can read: <c>account</c>, <c>event</c> (the trigger or the event that resumed the run),
/// <c>vars</c> and <c>outputs</c> (earlier activities' outputs by activity id), and <c>now</c> (epoch ms, virtual in simulations).
/// A scope is a snapshot: build a new one when variables or outputs change, so evaluators can cache its conversion.
/// </summary>
public sealed record ExpressionScope(JsonNode? Account, JsonNode? Event, JsonNode? Vars, JsonNode? Outputs, DateTimeOffset Now);
