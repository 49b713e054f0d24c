using System.Net;
using System.Text.Json;
using Playbooks.Engine.Tests.Support;
using Xunit;

namespace Playbooks.Engine.Tests.Definitions;

/// <summary>Every kind of mistake a designer can make is refused at publish with its JSON path and what to fix.</summary>
[Collection(EngineSuiteCollection.Name)]
public sealed class ValidationTests(EngineSuiteFixture suite)
{
    private async Task<JsonElement> PublishRefusedAsync(Playbook playbook)
    {
        await suite.CreateAsync(playbook);
        var (response, problem) = await suite.PostJsonAsync($"{EngineSuiteFixture.Definitions}/{playbook.Id}/publish", new { note = "try" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Invalid playbook definition", problem.Text("title"));
        var versions = await suite.GetJsonAsync($"{EngineSuiteFixture.Definitions}/{playbook.Id}/versions");
        Assert.Equal(0, versions.GetArrayLength());
        return problem;
    }

    private static string Only(JsonElement problem, string path)
    {
        var paths = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.True(paths.SequenceEqual([path]), $"expected only {path}, got {string.Join(", ", paths)}: {problem}");
        return Assert.Single(problem.ErrorsAt(path));
    }

    [Fact]
    public async Task Publishing_a_draft_with_an_unknown_activity_type_is_refused_with_its_path()
    {
        // Only the type is wrong: the connections to and beyond it are not reported as dangling or unreachable.
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("unknown-type"), ("mail", "SendEmail", null), ("end", "End", null));

        var message = Only(await PublishRefusedAsync(playbook), "$.activities[1].type");

        Assert.StartsWith("Unknown activity type 'SendEmail'. Known types: ", message);
        Assert.Contains("SendNotification", message);
    }

    [Fact]
    public async Task Publishing_a_draft_missing_a_required_input_is_refused_with_its_path()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("missing-input"), ("kickoff", "CreateTask", new { dueIn = "P2D" }));

        Assert.Equal("CreateTask needs 'title' (Title).", Only(await PublishRefusedAsync(playbook), "$.activities[1].inputs.title"));
    }

    [Fact]
    public async Task Publishing_a_draft_with_inputs_of_the_wrong_type_is_refused_with_each_path()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("wrong-type"),
            ("wait", "Delay", new { duration = 7 }),
            ("kickoff", "CreateTask", new { title = "Kickoff", priority = "asap", outcomes = "held" }));

        var problem = await PublishRefusedAsync(playbook);

        Assert.Equal(["'duration' should be an ISO 8601 duration such as P7D."], problem.ErrorsAt("$.activities[1].inputs.duration"));
        Assert.Equal(["'priority' should be one of low, normal, high, urgent, not \"asap\"."], problem.ErrorsAt("$.activities[2].inputs.priority"));
        Assert.Equal(["'outcomes' should be a list of strings."], problem.ErrorsAt("$.activities[2].inputs.outcomes"));
    }

    [Fact]
    public async Task Publishing_a_draft_with_a_dangling_connection_is_refused_with_its_path()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("dangling"), ("end", "End", null)).Connect("start", "nowhere");

        Assert.Equal("No activity 'nowhere'; connect to an existing activity.", Only(await PublishRefusedAsync(playbook), "$.connections[1].to"));
    }

    [Fact]
    public async Task Publishing_a_draft_with_a_duplicate_connection_is_refused_with_its_path()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("duplicate-connection"), ("end", "End", null)).Connect("start", "end");

        Assert.Equal("Duplicate connection start —Done→ end; remove one.", Only(await PublishRefusedAsync(playbook), "$.connections[1]"));
    }

    [Fact]
    public async Task Publishing_a_draft_with_an_unreachable_activity_is_refused_with_its_path()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("unreachable"), ("end", "End", null)).Activity("orphan", "End");

        Assert.Equal("'orphan' can never run: nothing leads to it from Start. Connect it or delete it.",
            Only(await PublishRefusedAsync(playbook), "$.activities[2]"));
    }

    [Fact]
    public async Task Publishing_a_draft_with_a_loop_that_never_waits_is_refused_with_its_path()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("busy-loop"),
                ("count", "SetVariable", new { name = "tries", value = new { js = "vars.tries + 1" } }),
                ("check", "If", new { condition = "vars.tries < 3" }))
            .Variable("tries", "number", 0)
            .Activity("end", "End");
        playbook.Connect("check", "count", "True").Connect("check", "end", "False");

        Assert.Equal("The loop count → check has no wait in it and would spin forever: add a Delay, WaitForEvent or WaitForTask.",
            Only(await PublishRefusedAsync(playbook), "$.activities[1]"));
    }

    [Fact]
    public async Task A_loop_with_a_wait_in_it_is_accepted()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("patient-loop"),
                ("pause", "Delay", new { duration = "P1D" }),
                ("check", "If", new { condition = "account.healthScore < 60" }))
            .Activity("end", "End");
        playbook.Connect("check", "pause", "True").Connect("check", "end", "False");

        await suite.CreateAsync(playbook);
        Assert.Equal(1, await suite.PublishAsync(playbook.Id));
    }

    [Fact]
    public async Task Publishing_a_draft_with_duplicate_activity_ids_is_refused_with_its_path()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("duplicate-ids"), ("end", "End", null)).Activity("end", "End");

        Assert.Equal("Activity id 'end' is used twice; ids must be unique.", Only(await PublishRefusedAsync(playbook), "$.activities[2].id"));
    }

    [Fact]
    public async Task Publishing_a_draft_with_expressions_that_do_not_parse_is_refused_with_each_path()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("bad-js"),
                ("kickoff", "CreateTask", new { title = "Kickoff with {{ account. }}", description = new { js = "'unclosed" } }),
                ("renewal", "WaitUntil", new { until = "addDays(account.renewalDate, -90" }),
                ("check", "If", new { condition = "account.healthScore <" }))
            .Activity("end", "End");
        playbook.Connect("check", "end", "False");

        var problem = await PublishRefusedAsync(playbook);

        Assert.StartsWith("In '{{account.}}': JavaScript does not parse: ", Assert.Single(problem.ErrorsAt("$.activities[1].inputs.title")));
        Assert.StartsWith("JavaScript does not parse: ", Assert.Single(problem.ErrorsAt("$.activities[1].inputs.description")));
        Assert.StartsWith("JavaScript does not parse: ", Assert.Single(problem.ErrorsAt("$.activities[2].inputs.until")));
        Assert.StartsWith("JavaScript does not parse: ", Assert.Single(problem.ErrorsAt("$.activities[3].inputs.condition")));
        Assert.Equal(4, problem.GetProperty("errors").EnumerateObject().Count());
    }

    [Fact]
    public async Task Publishing_a_draft_that_connects_an_unknown_outcome_is_refused_with_its_path()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("unknown-outcome"), ("check", "If", new { condition = "true" }))
            .Activity("end", "End");
        playbook.Connect("check", "end", "Maybe");

        Assert.Equal("If 'check' has no outcome 'Maybe'. Its outcomes: True, False.", Only(await PublishRefusedAsync(playbook), "$.connections[1].outcome"));
    }

    [Fact]
    public async Task A_task_wait_offers_one_outcome_port_per_task_outcome()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("task-ports"),
                ("kickoff", "CreateTask", new { title = "Kickoff", outcomes = new[] { "held", "no-show" } }),
                ("wait", "WaitForTask", new { task = "kickoff" }))
            .Activity("end", "End");
        playbook.Connect("wait", "end", "held").Connect("wait", "end", "cancelled");

        Assert.Equal("WaitForTask 'wait' has no outcome 'cancelled'. Its outcomes: held, no-show, Overdue, Timeout.",
            Only(await PublishRefusedAsync(playbook), "$.connections[3].outcome"));
    }

    [Fact]
    public async Task Every_problem_in_a_draft_is_reported_at_once()
    {
        var playbook = new Playbook(EngineSuiteFixture.Unique("everything-wrong"))
            .Activity("start", "Start")
            .Activity("mail", "SendEmail")
            .Activity("kickoff", "CreateTask", new { dueIn = 2 })
            .Activity("check", "If", new { condition = "account.healthScore <" })
            .Activity("check", "End")
            .Activity("orphan", "End")
            .Activity("done", "End")
            .Connect("start", "kickoff")
            .Connect("start", "kickoff")
            .Connect("kickoff", "check")
            .Connect("check", "ghost", "True")
            .Connect("check", "done", "Maybe");

        var problem = await PublishRefusedAsync(playbook);

        var paths = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(
            [
                "$.activities[1].type", "$.activities[2].inputs.dueIn", "$.activities[2].inputs.title", "$.activities[3].inputs.condition",
                "$.activities[4].id", "$.activities[5]", "$.connections[1]", "$.connections[3].to", "$.connections[4].outcome",
            ],
            paths);
    }

    [Fact]
    public async Task The_validate_endpoint_lists_problems_without_saving_anything()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("validate-only"), ("kickoff", "CreateTask", null));

        var (response, body) = await suite.PostJsonAsync($"{EngineSuiteFixture.Definitions}/validate", playbook.ToJson());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var problem = Assert.Single(body.Items("problems"));
        Assert.Equal("$.activities[1].inputs.title", problem.Text("path"));
        Assert.Equal(HttpStatusCode.NotFound, (await suite.Client.GetAsync($"{EngineSuiteFixture.Definitions}/{playbook.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_saved_draft_shows_its_problems_until_they_are_fixed()
    {
        var playbook = Playbook.Chain(EngineSuiteFixture.Unique("draft-problems"), ("wait", "Delay", new { duration = "seven days" }));

        var created = await suite.CreateAsync(playbook);

        var problem = Assert.Single(created.Items("problems"));
        Assert.Equal("$.activities[1].inputs.duration", problem.Text("path"));
        Assert.Equal("'seven days' is not an ISO 8601 duration; write e.g. P7D, PT15M, P1DT12H.", problem.Text("message"));
    }
}
