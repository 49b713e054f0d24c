using System.Text.Json;
using Playbooks.Engine.Activities;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Expressions;

namespace Playbooks.Engine.Execution;

/// <summary>
/// A definition version prepared for running: nodes by id, outgoing edges by (activity, outcome), incoming sources for joins,
/// and every expression and template parsed once. Built only from a definition that validated.
/// </summary>
public sealed class CompiledPlaybook
{
    private readonly Dictionary<string, ActivityNode> _nodes;
    private readonly Dictionary<(string From, string Outcome), List<string>> _next;
    private readonly Dictionary<string, List<string>> _incoming;
    private readonly Dictionary<string, Dictionary<string, CompiledInput>> _inputs;
    private readonly Dictionary<string, Activity> _activities;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CompiledExpression> _expressions = new(StringComparer.Ordinal);

    public CompiledPlaybook(PlaybookDefinition definition, ActivityCatalogue catalogue)
    {
        Definition = definition;
        _nodes = definition.Activities.ToDictionary(a => a.Id, StringComparer.Ordinal);
        _activities = definition.Activities.ToDictionary(a => a.Id, a => catalogue.Get(a.Type), StringComparer.Ordinal);
        _next = definition.Connections
            .GroupBy(c => (c.From, c.Outcome))
            .ToDictionary(g => g.Key, g => g.Select(c => c.To).ToList());
        _incoming = definition.Connections
            .GroupBy(c => c.To)
            .ToDictionary(g => g.Key, g => g.Select(c => c.From).Distinct().ToList(), StringComparer.Ordinal);
        _inputs = definition.Activities.ToDictionary(
            a => a.Id,
            a => a.Inputs.ToDictionary(i => i.Key, i => CompileInput(_activities[a.Id].Descriptor, i.Key, i.Value)),
            StringComparer.Ordinal);
        Start = definition.Activities.Single(a => a.Type == "Start").Id;
        Variables = definition.Variables.ToDictionary(v => v.Name, StringComparer.Ordinal);
    }

    public PlaybookDefinition Definition { get; }

    public string DefinitionId => Definition.DefinitionId;

    public int Version => Definition.Version ?? 0;

    public string Start { get; }

    public IReadOnlyDictionary<string, VariableDefinition> Variables { get; }

    public ActivityNode Node(string id) => _nodes[id];

    public bool HasNode(string id) => _nodes.ContainsKey(id);

    public Activity ActivityOf(string id) => _activities[id];

    public IReadOnlyList<string> Next(string from, string outcome) =>
        _next.TryGetValue((from, outcome), out var targets) ? targets : [];

    public bool HasConnection(string from, string outcome) => _next.ContainsKey((from, outcome));

    public IReadOnlyList<string> IncomingSources(string to) => _incoming.TryGetValue(to, out var sources) ? sources : [];

    public IReadOnlyDictionary<string, CompiledInput> InputsOf(string activityId) => _inputs[activityId];

    /// <summary>An expression nested inside an input (a Switch case, a WaitForEvent condition), parsed once per version.</summary>
    public CompiledExpression Expression(string source) => _expressions.GetOrAdd(source, CompiledExpression.Compile);

    private static CompiledInput CompileInput(ActivityDescriptor descriptor, string name, JsonElement value)
    {
        var kind = descriptor.Inputs.FirstOrDefault(i => i.Name == name)?.Kind ?? InputKind.Object;
        if (CompiledInput.IsScript(value, out var source)) return new CompiledInput.Script(CompiledExpression.Compile(source));
        if (value.ValueKind == JsonValueKind.String && IsExpressionText(kind, value.GetString()!))
            return new CompiledInput.Script(CompiledExpression.Compile(value.GetString()!));
        if (value.ValueKind == JsonValueKind.String && kind == InputKind.Template && TemplateText.TryCompile(value.GetString()!, out var template, out _))
            return new CompiledInput.Template(template!);
        return new CompiledInput.Literal(value.Clone());
    }

    /// <summary>Conditions are code; a date is code unless it is a plain ISO date ("account.renewalDate" vs "2027-03-31").</summary>
    public static bool IsExpressionText(InputKind kind, string text) =>
        kind == InputKind.Expression
        || (kind == InputKind.Date && !DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out _));
}
