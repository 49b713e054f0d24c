using System.Text.Json;
using System.Xml;
using NCrontab;
using Playbooks.Engine.Activities;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Expressions;

namespace Playbooks.Engine.Definitions;

/// <summary>Finds every problem in a definition at once, each with its JSON path and what to fix.</summary>
public sealed class DefinitionValidator(ActivityCatalogue catalogue)
{
    private static readonly HashSet<string> VariableTypes = ["string", "number", "boolean", "date", "list", "object"];
    private static readonly HashSet<string> TriggerKinds = ["event", "schedule", "date", "threshold", "manual"];

    public IReadOnlyList<DefinitionProblem> Validate(PlaybookDefinition definition)
    {
        var problems = new List<DefinitionProblem>();
        void Problem(string path, string message) => problems.Add(new DefinitionProblem(path, message));

        if (string.IsNullOrWhiteSpace(definition.DefinitionId)) Problem("$.definitionId", "Give the playbook a stable id, e.g. \"kickoff\".");
        else if (!System.Text.RegularExpressions.Regex.IsMatch(definition.DefinitionId, "^[a-z0-9][a-z0-9-]{0,63}$"))
            Problem("$.definitionId", "Use lowercase letters, digits and dashes (at most 64), e.g. \"renewal-outreach\".");
        if (string.IsNullOrWhiteSpace(definition.Name)) Problem("$.name", "Give the playbook a name.");

        CheckVariables(definition, Problem);
        CheckTriggers(definition, Problem);
        var (nodes, ids) = CheckActivities(definition, Problem);
        CheckConnections(definition, nodes, ids, Problem);
        CheckGraph(definition, nodes, ids, Problem);
        return problems;
    }

    private static void CheckVariables(PlaybookDefinition definition, Action<string, string> problem)
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < definition.Variables.Count; i++)
        {
            var variable = definition.Variables[i];
            var path = $"$.variables[{i}]";
            if (string.IsNullOrWhiteSpace(variable.Name)) problem($"{path}.name", "Name the variable.");
            else if (!seen.Add(variable.Name)) problem($"{path}.name", $"Variable '{variable.Name}' is declared twice; rename one.");
            if (!VariableTypes.Contains(variable.Type)) problem($"{path}.type", $"Unknown type '{variable.Type}'; use one of {string.Join(", ", VariableTypes)}.");
            else if (variable.Default is { } value && !Fits(variable.Type, value))
                problem($"{path}.default", $"The default {value.GetRawText()} is not a {variable.Type}.");
        }
    }

    private static void CheckTriggers(PlaybookDefinition definition, Action<string, string> problem)
    {
        for (var i = 0; i < definition.Triggers.Count; i++)
        {
            var trigger = definition.Triggers[i];
            var path = $"$.triggers[{i}]";
            if (!TriggerKinds.Contains(trigger.Kind)) { problem($"{path}.kind", $"Unknown trigger kind '{trigger.Kind}'; use one of {string.Join(", ", TriggerKinds)}."); continue; }
            if (trigger.Kind == "event" && string.IsNullOrWhiteSpace(trigger.EventType)) problem($"{path}.eventType", "An event trigger needs the event type, e.g. contract.signed.");
            if (trigger.Kind == "schedule")
            {
                if (string.IsNullOrWhiteSpace(trigger.Cron)) problem($"{path}.cron", "A schedule trigger needs a cron expression, e.g. \"0 9 * * 1\".");
                else if (CrontabSchedule.TryParse(trigger.Cron) is null) problem($"{path}.cron", $"'{trigger.Cron}' is not a 5-field cron expression (minute hour day month weekday).");
            }
            if (trigger.Kind is "date" or "threshold" && string.IsNullOrWhiteSpace(trigger.Field)) problem($"{path}.field", "Name the account field, e.g. renewalDate or healthScore.");
            if (trigger.Kind == "date" && trigger.OffsetDays is null) problem($"{path}.offsetDays", "Say how many days before (negative) or after the date, e.g. -90.");
            if (trigger.Kind == "threshold")
            {
                if (trigger.Direction is not ("below" or "above")) problem($"{path}.direction", "Use \"below\" or \"above\".");
                if (trigger.Value is null) problem($"{path}.value", "Give the line the field crosses, e.g. 60.");
            }
            if (trigger.Condition is { Length: > 0 } condition && !CompiledExpression.TryCompile(condition, out _, out var error))
                problem($"{path}.condition", error!);
        }
        if (definition.Enrolment is { } enrolment)
        {
            if (enrolment.MaxActivePerAccount < 1) problem("$.enrolment.maxActivePerAccount", "Allow at least 1 running instance per account.");
            for (var i = 0; i < enrolment.ExitOn.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(enrolment.ExitOn[i].EventType)) problem($"$.enrolment.exitOn[{i}].eventType", "Name the event that ends a run.");
                if (enrolment.ExitOn[i].Condition is { Length: > 0 } c && !CompiledExpression.TryCompile(c, out _, out var error))
                    problem($"$.enrolment.exitOn[{i}].condition", error!);
            }
        }
    }

    /// <returns>The activities of known types by id, and every activity id (an unknown type is one problem, not also dangling connections).</returns>
    private (Dictionary<string, (ActivityNode Node, int Index, Activity Activity)> Nodes, HashSet<string> Ids) CheckActivities(
        PlaybookDefinition definition, Action<string, string> problem)
    {
        var nodes = new Dictionary<string, (ActivityNode Node, int Index, Activity Activity)>(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < definition.Activities.Count; i++)
        {
            var node = definition.Activities[i];
            var path = $"$.activities[{i}]";
            if (string.IsNullOrWhiteSpace(node.Id)) { problem($"{path}.id", "Give the activity an id."); continue; }
            if (!ids.Add(node.Id)) { problem($"{path}.id", $"Activity id '{node.Id}' is used twice; ids must be unique."); continue; }
            if (!catalogue.TryGet(node.Type, out var activity))
            {
                problem($"{path}.type", $"Unknown activity type '{node.Type}'. Known types: {string.Join(", ", catalogue.Descriptors.Select(d => d.Type))}.");
                continue;
            }
            nodes[node.Id] = (node, i, activity);
            CheckInputs(node, activity.Descriptor, path, problem);
            foreach (var message in activity.Check(node, definition)) problem($"{path}.inputs", message);
        }
        var starts = nodes.Values.Count(n => n.Node.Type == "Start");
        if (starts != 1) problem("$.activities", starts == 0 ? "Add a Start activity: every run begins there." : "Keep exactly one Start activity.");
        return (nodes, ids);
    }

    private static void CheckInputs(ActivityNode node, ActivityDescriptor descriptor, string path, Action<string, string> problem)
    {
        foreach (var (name, value) in node.Inputs)
        {
            var input = descriptor.Inputs.FirstOrDefault(i => i.Name == name);
            var inputPath = $"{path}.inputs.{name}";
            if (input is null)
            {
                problem(inputPath, $"{descriptor.Type} has no input '{name}'. Its inputs: {string.Join(", ", descriptor.Inputs.Select(i => i.Name))}.");
                continue;
            }
            if (CompiledInput.IsScript(value, out var source))
            {
                if (!CompiledExpression.TryCompile(source, out _, out var error)) problem(inputPath, error!);
                continue;
            }
            if (TypeError(input, value) is { } typeError) problem(inputPath, typeError);
        }
        foreach (var input in descriptor.Inputs.Where(i => i.Required && i.Default is null))
            if (!node.Inputs.TryGetValue(input.Name, out var value) || value.ValueKind == JsonValueKind.Null
                || (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString())))
                problem($"{path}.inputs.{input.Name}", $"{descriptor.Type} needs '{input.Name}' ({input.DisplayName}).");
    }

    private static string? TypeError(InputDescriptor input, JsonElement value)
    {
        var kind = value.ValueKind;
        switch (input.Kind)
        {
            case InputKind.Text:
                return kind == JsonValueKind.String ? null : $"'{input.Name}' should be text.";
            case InputKind.Template:
                if (kind != JsonValueKind.String) return $"'{input.Name}' should be text.";
                return TemplateText.TryCompile(value.GetString()!, out _, out var templateError) ? null : templateError;
            case InputKind.Expression:
                if (kind != JsonValueKind.String) return $"'{input.Name}' should be a JavaScript expression in a string.";
                return CompiledExpression.TryCompile(value.GetString()!, out _, out var error) ? null : error;
            case InputKind.Date:
                if (kind != JsonValueKind.String) return $"'{input.Name}' should be an ISO date or an expression such as addDays(account.renewalDate, -90).";
                return CompiledPlaybook.IsExpressionText(InputKind.Date, value.GetString()!) && !CompiledExpression.TryCompile(value.GetString()!, out _, out var dateError) ? dateError : null;
            case InputKind.Number:
                return kind == JsonValueKind.Number ? null : $"'{input.Name}' should be a number, not {value.GetRawText()}.";
            case InputKind.Boolean:
                return kind is JsonValueKind.True or JsonValueKind.False ? null : $"'{input.Name}' should be true or false.";
            case InputKind.Duration:
                if (kind != JsonValueKind.String) return $"'{input.Name}' should be an ISO 8601 duration such as P7D.";
                try { XmlConvert.ToTimeSpan(value.GetString()!); return null; }
                catch (FormatException) { return $"'{value.GetString()}' is not an ISO 8601 duration; write e.g. P7D, PT15M, P1DT12H."; }
            case InputKind.Choice:
                return kind == JsonValueKind.String && input.Options!.Contains(value.GetString()!)
                    ? null : $"'{input.Name}' should be one of {string.Join(", ", input.Options!)}, not {value.GetRawText()}.";
            case InputKind.List:
                return kind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                    ? null : $"'{input.Name}' should be a list of strings.";
            default:
                return null;
        }
    }

    private static void CheckConnections(PlaybookDefinition definition, Dictionary<string, (ActivityNode Node, int Index, Activity Activity)> nodes,
        HashSet<string> ids, Action<string, string> problem)
    {
        var seen = new HashSet<(string, string, string)>();
        for (var i = 0; i < definition.Connections.Count; i++)
        {
            var connection = definition.Connections[i];
            var path = $"$.connections[{i}]";
            var fromKnown = nodes.TryGetValue(connection.From, out var from);
            if (!ids.Contains(connection.From)) problem($"{path}.from", $"No activity '{connection.From}'; connect from an existing activity.");
            if (!ids.Contains(connection.To)) problem($"{path}.to", $"No activity '{connection.To}'; connect to an existing activity.");
            if (!seen.Add((connection.From, connection.Outcome, connection.To))) problem(path, $"Duplicate connection {connection.From} —{connection.Outcome}→ {connection.To}; remove one.");
            if (fromKnown)
            {
                var outcomes = from.Activity.OutcomesOf(from.Node, definition);
                if (!outcomes.Contains(connection.Outcome))
                    problem($"{path}.outcome", outcomes.Count == 0
                        ? $"{from.Node.Type} '{connection.From}' has no outcomes to connect from."
                        : $"{from.Node.Type} '{connection.From}' has no outcome '{connection.Outcome}'. Its outcomes: {string.Join(", ", outcomes)}.");
            }
            if (connection.To == nodes.Values.FirstOrDefault(n => n.Node.Type == "Start").Node?.Id)
                problem($"{path}.to", "Nothing may lead back into Start.");
        }
    }

    private static void CheckGraph(PlaybookDefinition definition, Dictionary<string, (ActivityNode Node, int Index, Activity Activity)> nodes,
        HashSet<string> ids, Action<string, string> problem)
    {
        var start = nodes.Values.FirstOrDefault(n => n.Node.Type == "Start");
        if (start.Node is null) return;
        // Activities of unknown type stay in the graph, so what lies beyond one is not also reported unreachable.
        var edges = definition.Connections.Where(c => ids.Contains(c.From) && ids.Contains(c.To))
            .GroupBy(c => c.From).ToDictionary(g => g.Key, g => g.Select(c => c.To).Distinct().ToList());

        var reached = new HashSet<string> { start.Node.Id };
        var queue = new Queue<string>([start.Node.Id]);
        while (queue.TryDequeue(out var id))
            foreach (var next in edges.GetValueOrDefault(id, []))
                if (reached.Add(next)) queue.Enqueue(next);
        foreach (var (id, entry) in nodes.Where(n => !reached.Contains(n.Key)))
            problem($"$.activities[{entry.Index}]", $"'{id}' can never run: nothing leads to it from Start. Connect it or delete it.");

        foreach (var cycle in StronglyConnected(ids, edges))
        {
            var isLoop = cycle.Count > 1 || edges.GetValueOrDefault(cycle[0], []).Contains(cycle[0]);
            if (isLoop && cycle.All(id => nodes.TryGetValue(id, out var member) && !member.Activity.Descriptor.CanWait))
                problem($"$.activities[{nodes[cycle[0]].Index}]",
                    $"The loop {string.Join(" → ", cycle)} has no wait in it and would spin forever: add a Delay, WaitForEvent or WaitForTask.");
        }
    }

    // Tarjan's algorithm: each component with more than one activity (or a self-loop) is a loop in the flowchart.
    private static List<List<string>> StronglyConnected(IEnumerable<string> ids, Dictionary<string, List<string>> edges)
    {
        var index = 0;
        var stack = new Stack<string>();
        var indexes = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var onStack = new HashSet<string>();
        var components = new List<List<string>>();

        void Visit(string v)
        {
            indexes[v] = low[v] = index++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in edges.GetValueOrDefault(v, []))
            {
                if (!indexes.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], indexes[w]);
            }
            if (low[v] != indexes[v]) return;
            var component = new List<string>();
            string popped;
            do { popped = stack.Pop(); onStack.Remove(popped); component.Add(popped); } while (popped != v);
            component.Reverse();
            components.Add(component);
        }

        foreach (var id in ids) if (!indexes.ContainsKey(id)) Visit(id);
        return components;
    }

    private static bool Fits(string type, JsonElement value) => type switch
    {
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "string" or "date" => value.ValueKind == JsonValueKind.String,
        "list" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        _ => true,
    } || value.ValueKind == JsonValueKind.Null;
}
