using System.Text.Json.Nodes;

namespace Playbooks.Engine.Execution;

/// <summary>How an activity finished this time: with outcomes, waiting, failed, or ending the run.</summary>
public abstract record ActivityResult
{
    public static ActivityResult Complete(string outcome, JsonNode? output = null) => new Completed([outcome], output);

    public static ActivityResult CompleteAll(IReadOnlyList<string> outcomes, JsonNode? output = null) => new Completed(outcomes, output);

    public static ActivityResult Wait(params Bookmark[] bookmarks) => new Suspended(bookmarks);

    /// <summary>A stimulus that does not concern this activity yet (e.g. overdue with no Overdue port): keep its bookmarks.</summary>
    public static readonly ActivityResult KeepWaiting = new StillWaiting();

    public static ActivityResult Fault(string reason) => new Faulted(reason);

    public static ActivityResult EndRun() => new Ended();

    public sealed record Completed(IReadOnlyList<string> Outcomes, JsonNode? Output) : ActivityResult;

    public sealed record Suspended(IReadOnlyList<Bookmark> Bookmarks) : ActivityResult;

    public sealed record StillWaiting : ActivityResult;

    public sealed record Faulted(string Reason) : ActivityResult;

    public sealed record Ended : ActivityResult;
}
