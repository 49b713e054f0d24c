namespace Playbooks.Tasks;

/// <summary>One page of a filtered task list; <see cref="Total"/> counts every match, not only this page.</summary>
public sealed record TaskPage(IReadOnlyList<TaskSummary> Items, int Total, int Page, int PageSize);
