namespace Playbooks.Tasks.Assignment;

/// <summary>Who a new task goes to and why; <see cref="Explanation"/> goes into the task's history.</summary>
/// <param name="Assignee">Null when the rule found nobody: the task waits unassigned in <paramref name="Team"/>.</param>
public sealed record Assignment(string? Assignee, string? Team, string Explanation);
