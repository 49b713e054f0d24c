namespace Playbooks.Tasks.Assignment;

/// <summary>A team or role queue whose members share the tasks a playbook assigns to it.</summary>
public sealed record TaskQueue(string Name, IReadOnlyList<QueueMember> Members, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <param name="OpenTasks">Their open or snoozed tasks, from any queue: what least-loaded assignment compares.</param>
public sealed record QueueMember(string User, int OpenTasks);
