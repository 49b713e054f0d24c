using Playbooks.Messaging.Contracts;

namespace Playbooks.Tasks.Creation;

/// <summary>What a task request must carry for a task to be made from it.</summary>
internal static class TaskRequestCheck
{
    public static string? Problem(TaskRequested? request) => request switch
    {
        null => "the event has no task request in its data",
        { InstanceId: null or "" } => "it names no playbook instance",
        { ActivityId: null or "" } => "it names no activity",
        { Account: null } or { Account.Id: null or "" } => "it names no account",
        { Title: null } => "it has no title",
        _ when string.IsNullOrWhiteSpace(request.Title) => "its title is blank",
        _ => null,
    };
}
