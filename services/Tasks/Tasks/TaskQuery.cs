namespace Playbooks.Tasks;

/// <summary>Which tasks a list wants; every filter is optional and they combine with AND.</summary>
/// <param name="Statuses">Any of these statuses; empty for all.</param>
/// <param name="Priorities">Any of these priorities; empty for all.</param>
/// <param name="Page">From 1.</param>
/// <param name="VisibleTo">When set (a CSM asking), only tasks assigned to this user or in this team.</param>
public sealed record TaskQuery(
    string? Assignee = null,
    IReadOnlyList<string>? Statuses = null,
    DateTimeOffset? DueFrom = null,
    DateTimeOffset? DueTo = null,
    string? AccountId = null,
    IReadOnlyList<string>? Priorities = null,
    bool? Overdue = null,
    string? Team = null,
    string? InstanceId = null,
    TaskSort Sort = TaskSort.DueSoonest,
    int Page = 1,
    int PageSize = 50,
    (string User, string? Team)? VisibleTo = null);

public enum TaskSort
{
    DueSoonest,
    DueLatest,
    MostUrgent,
    LeastUrgent,
    Newest,
    Oldest,
}
