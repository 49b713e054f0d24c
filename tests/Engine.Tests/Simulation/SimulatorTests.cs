using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Playbooks.Engine.Activities;
using Playbooks.Engine.Calendars;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Expressions;
using Playbooks.Engine.Simulation;
using Playbooks.Engine.Storage;
using Playbooks.Messaging.Contracts;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Engine.Tests.Simulation;

/// <summary>The simulator and executor without the suite: the same code the API runs, on a clock the test holds.</summary>
public sealed class SimulatorTests
{
    private static readonly DateTimeOffset Monday = new(2027, 4, 5, 9, 0, 0, TimeSpan.Zero);

    private static CompiledPlaybook Compile(string json)
    {
        var definition = EngineJson.Deserialize<PlaybookDefinition>(json);
        var catalogue = new ActivityCatalogue();
        Assert.Empty(new DefinitionValidator(catalogue).Validate(definition));
        return new CompiledPlaybook(definition, catalogue);
    }

    private static Simulator Simulator(TimeProvider clock)
    {
        var evaluator = new ExpressionEvaluator();
        return new(new PlaybookExecutor(new ExecutionServices(evaluator, new BusinessCalendars(new ConfigurationBuilder().Build()))), evaluator, clock);
    }

    private static readonly AccountSnapshot Account = new("acme", "Acme K.K.", "aiko@playbooks.example", null, null, "enterprise", 120000m,
        new DateOnly(2027, 6, 30), 50, "onboarding", "Asia/Tokyo", []);

    private const string WeekLong = """
        {
          "definitionId": "week-long", "name": "Week long",
          "activities": [{ "id": "start", "type": "Start" }, { "id": "week", "type": "Delay", "inputs": { "duration": "P7D" } }],
          "connections": [{ "from": "start", "to": "week" }]
        }
        """;

    [Fact]
    public async Task A_test_run_without_a_start_time_starts_at_the_engine_clock()
    {
        var result = await Simulator(new ManualTimeProvider(Monday)).RunAsync(Compile(WeekLong), Account, new SimulationRequest { Days = 10 });

        Assert.Equal(Monday, result.StartedAt);
        Assert.Equal(Monday.AddDays(7), result.EndedAt);
        Assert.Equal("completed", result.Status);
    }

    [Fact]
    public async Task The_executor_runs_a_playbook_to_its_first_wait_and_reports_its_effects()
    {
        var playbook = Compile("""
            {
              "definitionId": "kickoff", "name": "Kickoff",
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "kickoff", "type": "CreateTask", "inputs": { "title": "Kickoff with {{ account.name }}", "outcomes": ["held"] } },
                { "id": "wait", "type": "WaitForTask", "inputs": { "task": "kickoff" } }
              ],
              "connections": [{ "from": "start", "to": "kickoff" }, { "from": "kickoff", "to": "wait" }]
            }
            """);
        var executor = new PlaybookExecutor(new ExecutionServices(new ExpressionEvaluator(), new BusinessCalendars(new ConfigurationBuilder().Build())));
        var instance = new InstanceState { Id = "run-1", DefinitionId = "kickoff", Version = 1, AccountId = "acme", CreatedAt = Monday };

        var effects = await executor.StartAsync(playbook, instance, new RunContext(Account, null, Monday, simulating: false));

        Assert.Equal(InstanceStatus.Running, instance.Status);
        Assert.Equal(["start", "kickoff", "wait"], effects.Path);
        var bookmark = Assert.Single(instance.Bookmarks);
        Assert.Equal(("wait", Bookmark.Task, "task:run-1:kickoff"), (bookmark.ActivityId, bookmark.Kind, bookmark.Key));
        var task = Assert.IsType<TaskRequested>(effects.Events.Single(e => e.Type == EventTypes.TaskRequested).Data);
        Assert.Equal("Kickoff with Acme K.K.", task.Title);
        Assert.Equal(["completed", "completed", "waiting"], effects.Journal.Select(j => j.Status));
        Assert.Equal(JsonValueKind.Object, JsonSerializer.SerializeToElement(instance.Outputs["kickoff"]).ValueKind);
    }
}
