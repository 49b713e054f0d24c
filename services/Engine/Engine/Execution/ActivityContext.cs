using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Playbooks.Engine.Activities;
using Playbooks.Engine.Calendars;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Expressions;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Execution;

/// <summary>
/// What an activity sees while it runs: its inputs evaluated on demand (and recorded for the journal), the account,
/// the run's variables and outputs, the (possibly virtual) time, and where to put its effects.
/// </summary>
public sealed class ActivityContext
{
    private readonly ExecutionServices _services;
    private readonly IReadOnlyDictionary<string, CompiledInput> _inputs;
    private readonly JsonObject _recordedInputs = [];
    private ExpressionScope? _scope;

    internal ActivityContext(ExecutionServices services, CompiledPlaybook playbook, ActivityNode node, InstanceState instance,
        RunContext run, RunEffects effects)
    {
        _services = services;
        Playbook = playbook;
        Node = node;
        Instance = instance;
        Run = run;
        Effects = effects;
        _inputs = playbook.InputsOf(node.Id);
    }

    public CompiledPlaybook Playbook { get; }
    public ActivityNode Node { get; }
    public InstanceState Instance { get; }
    public RunContext Run { get; }

    /// <summary>The activity whose outcome scheduled this one (null for Start and resumptions); joins count arrivals by it.</summary>
    public string? From { get; init; }
    public RunEffects Effects { get; }
    public DateTimeOffset Now => Run.Now;
    public AccountSnapshot Account => Run.Account;
    public BusinessCalendars Calendars => _services.Calendars;
    public ExpressionEvaluator Evaluator => _services.Evaluator;
    public IHttpClientFactory? Http => _services.Http;

    /// <summary>The inputs this execution read, as evaluated: the journal keeps them.</summary>
    public JsonObject RecordedInputs => _recordedInputs;

    public ExpressionScope Scope => _scope ??= new ExpressionScope(Run.AccountJson, Run.Event, Instance.Variables, Instance.Outputs, Now);

    public bool Has(string input) => _inputs.ContainsKey(input);

    /// <summary>The input's value (literal, expression result or rendered template), or the descriptor's default.</summary>
    public JsonNode? Value(string input)
    {
        JsonNode? value;
        if (_inputs.TryGetValue(input, out var compiled))
        {
            value = compiled switch
            {
                CompiledInput.Literal literal => JsonSerializer.SerializeToNode(literal.Value),
                CompiledInput.Script script => _services.Evaluator.Evaluate(script.Expression, Scope),
                CompiledInput.Template template => JsonValue.Create(template.Text.Render(_services.Evaluator, Scope)),
                _ => null,
            };
        }
        else
        {
            var fallback = Playbook.ActivityOf(Node.Id).Descriptor.Inputs.FirstOrDefault(i => i.Name == input)?.Default;
            value = fallback is { } element ? JsonSerializer.SerializeToNode(element) : null;
        }
        _recordedInputs[input] = value?.DeepClone();
        return value;
    }

    public string? Text(string input) => Value(input) switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var node => node.ToJsonString(),
    };

    public double? Number(string input) => Value(input) switch
    {
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) && double.TryParse(s, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    public bool? Flag(string input) => Value(input) switch
    {
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        _ => null,
    };

    public bool Condition(string input) => _inputs.TryGetValue(input, out var compiled) && compiled is CompiledInput.Script script
        ? Record(input, _services.Evaluator.IsTrue(script.Expression, Scope))
        : Flag(input) ?? false;

    public TimeSpan? Duration(string input) => Text(input) is { Length: > 0 } text ? ParseDuration(text) : null;

    public DateTimeOffset? Date(string input) => Value(input) switch
    {
        null => null,
        JsonValue v when v.TryGetValue<double>(out var epochMs) => DateTimeOffset.FromUnixTimeMilliseconds((long)epochMs),
        JsonValue v when v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) => d,
        var other => throw new ExpressionException($"'{input}' should be a date (ISO 8601 or epoch milliseconds) but is {other.ToJsonString()}"),
    };

    public IReadOnlyList<string> List(string input) => Value(input) switch
    {
        JsonArray array => array.Select(item => item?.ToString() ?? "").ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        _ => [],
    };

    public T? Object<T>(string input) => Value(input) is { } node ? node.Deserialize<T>(JsonSerializerOptions.Web) : default;

    public void Emit(string type, object data) =>
        Effects.Events.Add(new OutgoingEvent(type, data, Node.Id, Run.Simulating ? null : System.Diagnostics.Activity.Current?.Id));

    public string NewId() => _services.NewId();

    /// <summary>Parses ISO 8601 durations (P7D, PT30M, P1W); the message says what is accepted.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        try
        {
            return XmlConvert.ToTimeSpan(text.Trim());
        }
        catch (FormatException)
        {
            throw new ExpressionException($"'{text}' is not an ISO 8601 duration; write e.g. P7D (7 days), PT15M (15 minutes), P1DT12H.");
        }
    }

    private bool Record(string input, bool value)
    {
        _recordedInputs[input] = value;
        return value;
    }
}
