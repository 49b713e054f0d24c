namespace Playbooks.Engine.Execution;

public enum InstanceStatus
{
    /// <summary>Started and not finished: running now or waiting on its bookmarks.</summary>
    Running,
    /// <summary>Reached an End or ran out of steps.</summary>
    Completed,
    /// <summary>Ended early by an exit condition (e.g. renewal.signed during renewal outreach).</summary>
    Exited,
    /// <summary>An activity failed; <c>retry</c> runs it again.</summary>
    Faulted,
    Cancelled,
}
