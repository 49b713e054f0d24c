namespace Playbooks.Engine.Tests.Support;

/// <summary>A playbook definition as a test writes it: activities, connections and variables, sent as JSON.</summary>
public sealed class Playbook(string definitionId, string? name = null)
{
    private readonly List<object> _activities = [];
    private readonly List<object> _connections = [];
    private readonly List<object> _variables = [];
    private object? _enrolment;
    private readonly List<object> _triggers = [];
    private object? _goal;

    public string Id { get; } = definitionId;

    /// <summary>A linear playbook: Start, then each step joined to the previous one by its Done outcome.</summary>
    public static Playbook Chain(string definitionId, params (string Id, string Type, object? Inputs)[] steps)
    {
        var playbook = new Playbook(definitionId).Activity("start", "Start");
        var previous = "start";
        foreach (var (id, type, inputs) in steps)
        {
            playbook.Activity(id, type, inputs).Connect(previous, id);
            previous = id;
        }
        return playbook;
    }

    public Playbook Activity(string id, string type, object? inputs = null)
    {
        _activities.Add(new { id, type, inputs = inputs ?? new { } });
        return this;
    }

    public Playbook Connect(string from, string to, string outcome = "Done")
    {
        _connections.Add(new { from, outcome, to });
        return this;
    }

    public Playbook Variable(string name, string type, object? @default = null)
    {
        _variables.Add(new { name, type, @default });
        return this;
    }

    public Playbook Trigger(object trigger)
    {
        _triggers.Add(trigger);
        return this;
    }

    public Playbook Enrolment(object enrolment)
    {
        _enrolment = enrolment;
        return this;
    }

    /// <summary>An event of <paramref name="eventType"/> within <paramref name="withinDays"/> of a run's start counts as its success.</summary>
    public Playbook Goal(string eventType, int withinDays)
    {
        _goal = new { eventType, withinDays };
        return this;
    }

    /// <summary>Allows many runs per account at once, for tests that start several on one account.</summary>
    public Playbook ManyRunsPerAccount()
    {
        _enrolment = new { maxActivePerAccount = 1000 };
        return this;
    }

    public object ToJson() => new
    {
        definitionId = Id,
        name = name ?? $"Test playbook {Id}",
        description = "Written by an engine test",
        tags = new[] { "test" },
        variables = _variables,
        enrolment = _enrolment,
        triggers = _triggers,
        goal = _goal,
        activities = _activities,
        connections = _connections,
    };
}
