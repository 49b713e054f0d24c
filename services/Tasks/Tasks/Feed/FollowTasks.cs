using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Playbooks.Tasks.Api;

namespace Playbooks.Tasks.Feed;

/// <summary>
/// <c>GET /api/tasks/feed</c>: server-sent events, one <c>task.created</c> per new task the caller may see (a CSM their
/// own and their team's), as the list shows it, and a <c>heartbeat</c> every 15 s. The first heartbeat comes at once:
/// from then on the caller is following, so a screen lists the inbox after it and misses nothing in between.
/// </summary>
public static class FollowTasks
{
    public static ServerSentEventsResult<TaskSummary?> Handle(CurrentUser user, TaskFeed feed, CancellationToken cancellationToken) =>
        TypedResults.ServerSentEvents(EventsAsync(user, feed, cancellationToken));

    private static async IAsyncEnumerable<SseItem<TaskSummary?>> EventsAsync(CurrentUser user, TaskFeed feed,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var follower = feed.Follow();
        // Also sends the response's headers, which otherwise wait for the first task.
        yield return new SseItem<TaskSummary?>(null, "heartbeat");
        await foreach (var task in follower.Tasks.ReadAllAsync(cancellationToken))
        {
            if (task is null) yield return new SseItem<TaskSummary?>(null, "heartbeat");
            else if (user.CanSee(task)) yield return new SseItem<TaskSummary?>(task, "task.created");
        }
    }
}
