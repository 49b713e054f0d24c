using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;

namespace Playbooks.Engine.Expressions;

/// <summary>
/// Runs compiled expressions in a sandbox: no CLR access, at most <see cref="MaxStatements"/> statements,
/// <see cref="MaxRecursion"/> nested calls and <see cref="Timeout"/> of wall time. One Jint engine per thread is reused
/// (building one costs ~60 µs); a bad or endless script raises <see cref="ExpressionException"/>, never more.
/// </summary>
public sealed class ExpressionEvaluator
{
    public const int MaxStatements = 10_000;
    public const int MaxRecursion = 64;

    /// <summary>
    /// A backstop only: the statement and recursion limits stop endless scripts deterministically within milliseconds.
    /// Wall time also counts JIT warm-up, GC pauses and a busy CPU, so a tight limit (it was 50 ms) faulted correct
    /// expressions such as <c>account.healthScore</c> on a loaded 2-core machine.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    // What a scope binds afresh each time; everything else on the global object is sealed at creation.
    private static readonly string[] ScopeNames = ["account", "event", "vars", "outputs", "now"];

    private static readonly ThreadLocal<Sandbox> Sandboxes = new(CreateSandbox);

    /// <summary>One thread's engine, the globals it was created with, and the scope bound on it last.</summary>
    private sealed class Sandbox(Jint.Engine engine, HashSet<string> globals)
    {
        public Jint.Engine Engine { get; } = engine;
        public HashSet<string> Globals { get; } = globals;
        // Evaluating several expressions against one scope converts it once.
        public ExpressionScope? LastBound { get; set; }
        public DateTimeOffset Now { get; set; }
    }

    private static Sandbox CreateSandbox()
    {
        var engine = new Jint.Engine(options => options
            .TimeoutInterval(Timeout)
            .MaxStatements(MaxStatements)
            .LimitRecursion(MaxRecursion)
            .LocalTimeZone(TimeZoneInfo.Utc)
            .Culture(CultureInfo.InvariantCulture));
        Sandbox? sandbox = null;
        // Date arithmetic designers need for renewal timings: addDays(account.renewalDate, -90), daysUntil(account.renewalDate).
        // The answer is UTC ("…Z"), so a date given with an offset (+09:00) must be converted, not just relabelled.
        engine.SetValue("addDays", new Func<object, double, string>((date, days) => ToDate(date).AddDays(days).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        engine.SetValue("daysUntil", new Func<object, double>(date => Math.Floor((ToDate(date) - sandbox!.Now).TotalDays)));
        foreach (var name in ScopeNames) engine.SetValue(name, JsValue.Null);
        engine.Execute(Seal);
        sandbox = new Sandbox(engine, [.. engine.Global.GetOwnProperties().Select(p => p.Key)]);
        WarmUp(engine);
        return sandbox;
    }

    /// <summary>
    /// The engine serves every playbook that runs on its thread, so no expression may change what the next one sees:
    /// built-ins are frozen, the helpers and standard globals read-only, and globals a script adds are removed when the
    /// next scope is bound (see <see cref="ForgetLeftovers"/>).
    /// </summary>
    private static readonly string Seal = $$"""
        (function (global, scopeNames) {
            var constructors = [Object, Function, Array, String, Number, Boolean, Date, RegExp];
            for (var i = 0; i < constructors.length; i++) {
                Object.freeze(constructors[i].prototype);
                Object.freeze(constructors[i]);
            }
            // An error's message and name are set by assignment, which a read-only inherited property would block.
            var errors = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError];
            for (var k = 0; k < errors.length; k++) {
                var proto = errors[k].prototype, own = Object.getOwnPropertyNames(proto);
                for (var m = 0; m < own.length; m++)
                    Object.defineProperty(proto, own[m], own[m] === 'message' || own[m] === 'name' ? { configurable: false } : { writable: false, configurable: false });
                Object.preventExtensions(proto);
                Object.freeze(errors[k]);
            }
            Object.freeze(Math);
            Object.freeze(JSON);
            var names = Object.getOwnPropertyNames(global);
            for (var j = 0; j < names.length; j++)
                if (scopeNames.indexOf(names[j]) < 0) Object.defineProperty(global, names[j], { writable: false, configurable: false });
        })(this, [{{string.Join(", ", ScopeNames.Select(n => $"'{n}'"))}}]);
        """;

    // Runs the interpreter's common paths once, so the first real expression on a new engine is not charged their JIT.
    private static void WarmUp(Jint.Engine engine)
    {
        try
        {
            engine.Execute(
                "(function (o) { var n = 0; for (var i = 0; i < o.a.length; i++) n += o.a[i]; " +
                "return JSON.stringify(o).length + n + addDays('2027-01-01', 1).length + new Date(0).toISOString().length + Math.max(1, 2); })" +
                "({ a: [1, 2, 3], s: 'x' })");
        }
        catch (Exception error) when (error is JavaScriptException or TimeoutException)
        {
            // Only an optimisation: a busy machine may stop it early.
        }
    }

    private static DateTimeOffset ToDate(object value) => value switch
    {
        string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) => date,
        double epochMs => DateTimeOffset.FromUnixTimeMilliseconds((long)epochMs),
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        _ => throw new ExpressionException($"'{value}' is not a date (use an ISO date such as 2027-03-31 or epoch milliseconds)."),
    };

    public JsonNode? Evaluate(CompiledExpression expression, ExpressionScope scope)
    {
        if (expression.Path is { } path && TryRead(path, scope, out var read)) return read;
        var sandbox = Sandboxes.Value!;
        var engine = sandbox.Engine;
        try
        {
            if (!ReferenceEquals(sandbox.LastBound, scope))
            {
                sandbox.LastBound = null;
                ForgetLeftovers(sandbox);
                Bind(sandbox, scope);
                sandbox.LastBound = scope;
            }
            var result = engine.Execute(expression.Program).GetCompletionValue();
            return ToJson(engine, result);
        }
        catch (StatementsCountOverflowException)
        {
            throw new ExpressionException($"Expression stopped after {MaxStatements:N0} statements (an endless loop?): {Shorten(expression.Source)}");
        }
        catch (TimeoutException)
        {
            throw new ExpressionException($"Expression stopped after {Timeout.TotalMilliseconds} ms: {Shorten(expression.Source)}");
        }
        catch (RecursionDepthOverflowException)
        {
            throw new ExpressionException($"Expression recursed deeper than {MaxRecursion} calls: {Shorten(expression.Source)}");
        }
        catch (JavaScriptException error)
        {
            throw new ExpressionException($"Expression failed: {error.Message} in {Shorten(expression.Source)}", error);
        }
        catch (Exception error) when (error is not ExpressionException)
        {
            throw new ExpressionException($"Expression failed: {error.Message} in {Shorten(expression.Source)}", error);
        }
    }

    // Globals the previous scope's scripts created (x = 1, var x, this.x): gone before the next scope's first expression.
    private static void ForgetLeftovers(Sandbox sandbox)
    {
        List<string>? leftovers = null;
        foreach (var property in sandbox.Engine.Global.GetOwnProperties())
            if (!sandbox.Globals.Contains(property.Key)) (leftovers ??= []).Add(property.Key);
        foreach (var name in leftovers ?? []) sandbox.Engine.Global.RemoveOwnProperty(name);
    }

    /// <summary>JavaScript truthiness, as designers expect from a condition.</summary>
    public bool IsTrue(CompiledExpression expression, ExpressionScope scope) => Evaluate(expression, scope) switch
    {
        null => false,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        JsonValue value when value.TryGetValue<double>(out var number) => number != 0 && !double.IsNaN(number),
        JsonValue value when value.TryGetValue<string>(out var text) => text.Length > 0,
        _ => true,
    };

    private static void Bind(Sandbox sandbox, ExpressionScope scope)
    {
        var engine = sandbox.Engine;
        var json = new JsonParser(engine);
        engine.SetValue("account", ToJs(json, scope.Account));
        engine.SetValue("event", ToJs(json, scope.Event));
        engine.SetValue("vars", ToJs(json, scope.Vars));
        engine.SetValue("outputs", ToJs(json, scope.Outputs));
        engine.SetValue("now", (double)scope.Now.ToUnixTimeMilliseconds());
        sandbox.Now = scope.Now;
    }

    private static JsValue ToJs(JsonParser json, JsonNode? node) =>
        node is null ? JsValue.Null : json.Parse(node.ToJsonString());

    /// <summary>
    /// Reads a field path straight from the scope, as the script would: binding a scope parses its account, event,
    /// variables and outputs into the script engine, which was a quarter of what a run's start allocated. Anything the
    /// script could answer differently (a missing member, which JavaScript looks up on the prototype; a member of a
    /// string, array or null) is left to the script.
    /// </summary>
    private static bool TryRead(string[] path, ExpressionScope scope, out JsonNode? read)
    {
        var node = path[0] switch { "account" => scope.Account, "event" => scope.Event, "vars" => scope.Vars, _ => scope.Outputs };
        for (var i = 1; i < path.Length; i++)
        {
            if (node is not JsonObject fields || !fields.TryGetPropertyValue(path[i], out node))
            {
                read = null;
                return false;
            }
        }
        // As the script hands values back: numbers as doubles, objects and arrays as copies.
        read = node?.GetValueKind() switch
        {
            null or JsonValueKind.Null => null,
            // A value made from a date or a Guid is a string in JSON but not a .NET string.
            JsonValueKind.String => JsonValue.Create(node.AsValue().TryGetValue<string>(out var text) ? text : System.Text.Json.JsonSerializer.Deserialize<string>(node)),
            JsonValueKind.Number => JsonValue.Create(double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture)),
            JsonValueKind.True => JsonValue.Create(true),
            JsonValueKind.False => JsonValue.Create(false),
            _ => node.DeepClone(),
        };
        return true;
    }

    private static JsonNode? ToJson(Jint.Engine engine, JsValue value)
    {
        if (value.IsNull() || value.IsUndefined()) return null;
        if (value.IsBoolean()) return JsonValue.Create(value.AsBoolean());
        if (value.IsNumber()) return JsonValue.Create(value.AsNumber());
        if (value.IsString()) return JsonValue.Create(value.AsString());
        if (value.IsObject() && value.AsObject().Class == "Date")
            return JsonValue.Create(DateTimeOffset.FromUnixTimeMilliseconds((long)value.AsObject().Get("valueOf").Invoke(value, []).AsNumber()).ToString("O"));
        var text = engine.Json.Stringify(JsValue.Undefined, [value]);
        return text.IsString() ? JsonNode.Parse(text.AsString()) : null;
    }

    private static string Shorten(string source) => source.Length <= 80 ? source : source[..77] + "...";
}
