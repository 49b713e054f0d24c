namespace Playbooks.Tasks;

/// <summary>How urgent a task is. The rank sorts most urgent first, like P0/P1 (urgent is 0).</summary>
public static class TaskPriorities
{
    public const string Urgent = "urgent";
    public const string High = "high";
    public const string Normal = "normal";
    public const string Low = "low";

    public static readonly IReadOnlyList<string> All = [Urgent, High, Normal, Low];

    public static bool TryNormalize(string? priority, out string normalized)
    {
        normalized = priority?.Trim().ToLowerInvariant() ?? "";
        return All.Contains(normalized);
    }

    public static int Rank(string priority) => All.ToList().IndexOf(priority) is var rank and >= 0 ? rank : 2;
}
