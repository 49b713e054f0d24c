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
/// <see cref="Timeout"/> of wall time and <see cref="MaxRecursion"/> nested calls. One Jint engine per thread is reused
/// (building one costs ~60 µs); a bad or endless script raises <see cref="ExpressionException"/>, never more.
/// </summary>
public sealed class ExpressionEvaluator
{
    public const int MaxStatements = 10_000;
    public const int MaxRecursion = 64;
    // Wall time is only a backstop (the statement limit stops loops first): a busy machine can pause a thread for tens
    // of milliseconds, and a condition must not fault because of that.
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    private static readonly ThreadLocal<Jint.Engine> Engines = new(CreateEngine);

    private static Jint.Engine CreateEngine()
    {
        var engine = new Jint.Engine(options => options
            .TimeoutInterval(Timeout)
            .MaxStatements(MaxStatements)
            .LimitRecursion(MaxRecursion)
            .LocalTimeZone(TimeZoneInfo.Utc)
            .Culture(CultureInfo.InvariantCulture));
        // Date arithmetic designers need for renewal timings: addDays(account.renewalDate, -90), daysUntil(account.renewalDate).
        engine.SetValue("addDays", new Func<object, double, string>((date, days) => ToDate(date).AddDays(days).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        engine.SetValue("daysUntil", new Func<object, double>(date => Math.Floor((ToDate(date) - LastBoundNow.Value).TotalDays)));
        return engine;
    }

    private static readonly ThreadLocal<DateTimeOffset> LastBoundNow = new();

    private static DateTimeOffset ToDate(object value) => value switch
    {
        string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) => date,
        double epochMs => DateTimeOffset.FromUnixTimeMilliseconds((long)epochMs),
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        _ => throw new ExpressionException($"'{value}' is not a date (use an ISO date such as 2027-03-31 or epoch milliseconds)."),
    };

    // The scope bound last on this thread's engine: evaluating several expressions against one scope converts it once.
    private static readonly ThreadLocal<ExpressionScope?> LastBound = new();

    public JsonNode? Evaluate(CompiledExpression expression, ExpressionScope scope)
    {
        var engine = Engines.Value!;
        try
        {
            if (!ReferenceEquals(LastBound.Value, scope))
            {
                LastBound.Value = null;
                Bind(engine, scope);
                LastBound.Value = scope;
            }
            engine.ResetTimeoutTicks();
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

    /// <summary>JavaScript truthiness, as designers expect from a condition.</summary>
    public bool IsTrue(CompiledExpression expression, ExpressionScope scope) => Evaluate(expression, scope) switch
    {
        null => false,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        JsonValue value when value.TryGetValue<double>(out var number) => number != 0 && !double.IsNaN(number),
        JsonValue value when value.TryGetValue<string>(out var text) => text.Length > 0,
        _ => true,
    };

    private static void Bind(Jint.Engine engine, ExpressionScope scope)
    {
        var json = new JsonParser(engine);
        engine.SetValue("account", ToJs(json, scope.Account));
        engine.SetValue("event", ToJs(json, scope.Event));
        engine.SetValue("vars", ToJs(json, scope.Vars));
        engine.SetValue("outputs", ToJs(json, scope.Outputs));
        engine.SetValue("now", (double)scope.Now.ToUnixTimeMilliseconds());
        LastBoundNow.Value = scope.Now;
    }

    private static JsValue ToJs(JsonParser json, JsonNode? node) =>
        node is null ? JsValue.Null : json.Parse(node.ToJsonString());

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
