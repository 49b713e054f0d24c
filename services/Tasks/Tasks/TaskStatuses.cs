namespace Playbooks.Tasks;

/// <summary>Where a task is in its life. Overdue is not a status: an open or snoozed task past its due time is also overdue.</summary>
public static class TaskStatuses
{
    public const string Open = "open";
    public const string Snoozed = "snoozed";
    public const string Done = "done";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Open, Snoozed, Done, Cancelled];

    /// <summary>Still waiting on someone: these can be worked, reassigned, become overdue or be cancelled.</summary>
    public static readonly IReadOnlyList<string> Active = [Open, Snoozed];

    public static bool IsActive(string status) => status is Open or Snoozed;
}
