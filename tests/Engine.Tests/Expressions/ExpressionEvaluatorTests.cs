using System.Text.Json.Nodes;
using Playbooks.Engine.Expressions;
using Xunit;

namespace Playbooks.Engine.Tests.Expressions;

/// <summary>The sandbox expressions run in: limits, no CLR, no state carried from one evaluation to the next.</summary>
public sealed class ExpressionEvaluatorTests
{
    private readonly ExpressionEvaluator _evaluator = new();

    private static ExpressionScope Scope(int healthScore = 50) => new(
        JsonNode.Parse($$"""{ "id": "acme", "name": "Acme K.K.", "healthScore": {{healthScore}}, "renewalDate": "2027-06-30" }"""),
        JsonNode.Parse("""{ "type": "usage.dropped", "data": { "drop": 0.4 } }"""),
        new JsonObject { ["noShows"] = 2 },
        new JsonObject { ["kickoff"] = new JsonObject { ["taskRef"] = "kickoff" } },
        new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.Zero));

    private JsonNode? Evaluate(string source, ExpressionScope? scope = null) => _evaluator.Evaluate(CompiledExpression.Compile(source), scope ?? Scope());

    [Fact]
    public void An_expression_reads_the_account_event_variables_outputs_and_now()
    {
        Assert.Equal("Acme K.K.|0.4|2|kickoff|2027-04-01", Evaluate(
            "[account.name, event.data.drop, vars.noShows, outputs.kickoff.taskRef, new Date(now).toISOString().substring(0, 10)].join('|')")!.GetValue<string>());
    }

    [Theory]
    [InlineData("account.name")]
    [InlineData("account.healthScore")]
    [InlineData("account.owner")]
    [InlineData("account.active")]
    [InlineData("account.tags")]
    [InlineData("account.signedAt")]
    [InlineData("account.missing")]
    [InlineData("account.toString")]
    [InlineData("account.__proto__")]
    [InlineData("event.data")]
    [InlineData("event.data.drop")]
    [InlineData("vars.noShows")]
    [InlineData("outputs.kickoff.taskRef")]
    public void A_field_read_answers_what_the_script_answers(string path)
    {
        var scope = new ExpressionScope(
            new JsonObject
            {
                ["name"] = "Acme K.K.", ["healthScore"] = 42, ["owner"] = null, ["active"] = true,
                ["tags"] = JsonNode.Parse("""["apac", { "tier": 1 }]"""), ["signedAt"] = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero),
            },
            JsonNode.Parse("""{ "type": "usage.dropped", "data": { "drop": 0.4, "seats": 12 } }"""),
            new JsonObject { ["noShows"] = 2 },
            new JsonObject { ["kickoff"] = new JsonObject { ["taskRef"] = "kickoff" } },
            DateTimeOffset.UnixEpoch);

        // In parentheses the path is no plain field read, so the script engine answers it.
        var byScript = Evaluate($"({path})", scope);
        var read = Evaluate(path, scope);

        Assert.Equal(byScript?.ToJsonString(), read?.ToJsonString());
        Assert.Equal(byScript?.GetValueKind(), read?.GetValueKind());
        Assert.Equal(_evaluator.IsTrue(CompiledExpression.Compile($"({path})"), scope), _evaluator.IsTrue(CompiledExpression.Compile(path), scope));
    }

    [Fact]
    public void A_field_read_through_a_missing_object_fails_as_the_script_does()
    {
        var error = Assert.Throws<ExpressionException>(() => Evaluate("account.owner.email",
            new ExpressionScope(JsonNode.Parse("""{ "owner": null }"""), null, null, null, DateTimeOffset.UnixEpoch)));

        Assert.Contains("account.owner.email", error.Message);
    }

    [Fact]
    public void Date_helpers_count_days_from_the_renewal_date()
    {
        Assert.Equal("2027-04-01T00:00:00Z", Evaluate("addDays(account.renewalDate, -90)")!.GetValue<string>());
        Assert.Equal(90, Evaluate("daysUntil(account.renewalDate)")!.GetValue<double>());
    }

    [Fact]
    public void AddDays_answers_in_UTC_whatever_offset_the_date_has()
    {
        Assert.Equal("2027-07-01T00:00:00Z", Evaluate("addDays('2027-06-30T09:00:00+09:00', 1)")!.GetValue<string>());
    }

    [Fact]
    public void An_endless_loop_is_stopped_with_a_clear_reason()
    {
        var error = Assert.Throws<ExpressionException>(() => Evaluate("while (true) {}"));

        Assert.Equal("Expression stopped after 10,000 statements (an endless loop?): while (true) {}", error.Message);
    }

    [Fact]
    public void Deep_recursion_is_stopped_with_a_clear_reason()
    {
        var error = Assert.Throws<ExpressionException>(() => Evaluate("function down(n) { return down(n + 1); } down(0)"));

        Assert.Equal("Expression recursed deeper than 64 calls: function down(n) { return down(n + 1); } down(0)", error.Message);
    }

    [Fact]
    public void An_expression_that_is_stopped_leaves_the_evaluator_working()
    {
        Assert.Throws<ExpressionException>(() => Evaluate("function down(n) { var local = n; return down(n + 1); } down(0)"));
        Assert.Throws<ExpressionException>(() => Evaluate("while (true) {}"));

        Assert.Equal(50, Evaluate("account.healthScore")!.GetValue<double>());
        Assert.Equal("undefined", Evaluate("typeof local")!.GetValue<string>());
    }

    [Theory]
    [InlineData("typeof System")]
    [InlineData("typeof importNamespace")]
    [InlineData("typeof clr")]
    public void Expressions_have_no_access_to_the_CLR(string source)
    {
        Assert.Equal("undefined", Evaluate(source)!.GetValue<string>());
    }

    [Fact]
    public void Reaching_for_the_CLR_fails_with_a_clear_reason()
    {
        var error = Assert.Throws<ExpressionException>(() => Evaluate("System.IO.File.ReadAllText('/etc/passwd')"));

        Assert.Equal("Expression failed: System is not defined in System.IO.File.ReadAllText('/etc/passwd')", error.Message);
    }

    [Fact]
    public void One_expression_cannot_leave_globals_behind_for_the_next()
    {
        Evaluate("leaked = 'secret'; var declared = 1; addDays = function () { return 'hijacked'; }; Math.max = function () { return -1; }; " +
            "Object.prototype.polluted = true; Array.prototype.join = null; TypeError.prototype.toString = null; 1");

        var next = Scope(healthScore: 70);
        Assert.Equal("undefined", Evaluate("typeof leaked", next)!.GetValue<string>());
        Assert.Equal("undefined", Evaluate("typeof declared", next)!.GetValue<string>());
        Assert.Equal("2027-04-01T00:00:00Z", Evaluate("addDays(account.renewalDate, -90)", next)!.GetValue<string>());
        Assert.Equal(70, Evaluate("Math.max(account.healthScore, 1)", next)!.GetValue<double>());
        Assert.Equal("undefined|a,b", Evaluate("typeof ({}).polluted + '|' + ['a', 'b'].join()", next)!.GetValue<string>());
        Assert.Equal("TypeError: no", Evaluate("new TypeError('no').toString()", next)!.GetValue<string>());
    }

    [Fact]
    public void The_built_ins_designers_use_still_work_in_the_sealed_sandbox()
    {
        Assert.Equal("1,2,3|{\"a\":1}|ACME|a,b|2027-04-01|x|caught: null|3|2", Evaluate(
            "var list = [3, 1, 2]; list.sort(); var o = { a: 1 }; o.b = 2; " +
            "var caught; try { null.x; } catch (e) { caught = 'caught: ' + (e instanceof TypeError ? 'null' : e.message); } " +
            "[list.join(','), JSON.stringify({ a: 1 }), 'acme'.toUpperCase(), Object.keys(o).join(','), " +
            "new Date(now).toISOString().slice(0, 10), new Error('x').message, caught, Math.max.apply(null, list), o.b].join('|')")!.GetValue<string>());
    }

    [Theory]
    [InlineData("account.healthScore < 60", true)]
    [InlineData("account.healthScore", true)]
    [InlineData("0", false)]
    [InlineData("''", false)]
    [InlineData("account.missing", false)]
    [InlineData("({})", true)]
    public void Conditions_follow_JavaScript_truthiness(string source, bool expected)
    {
        Assert.Equal(expected, _evaluator.IsTrue(CompiledExpression.Compile(source), Scope()));
    }

    [Fact]
    public void An_expression_that_throws_is_reported_with_its_source()
    {
        var error = Assert.Throws<ExpressionException>(() => Evaluate("account.custom.tier.level > 2"));

        Assert.StartsWith("Expression failed: ", error.Message);
        Assert.EndsWith(" in account.custom.tier.level > 2", error.Message);
    }
}
