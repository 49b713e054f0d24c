using System.Text.Json;
using Playbooks.ServiceDefaults.Security;
using Xunit;

namespace Playbooks.Tasks.Tests;

/// <summary>A CSM's live inbox: new tasks arrive through the gateway as server-sent events, only those the CSM may see.</summary>
public sealed class FeedTests(TasksSuite suite) : IClassFixture<TasksSuite>
{
    private readonly TwoTeams _csms = new();

    [Fact]
    public async Task A_csm_following_the_feed_gets_their_own_and_their_teams_new_tasks_as_they_are_created()
    {
        using var client = suite.ClientAs(Roles.Csm, _csms.Alice, _csms.Enterprise);
        // The feed answers at once, saying it is following (well before its 15 s heartbeat): a screen then lists the
        // inbox and misses nothing in between.
        using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        using var feed = await client.GetAsync("/api/tasks/feed", HttpCompletionOption.ResponseHeadersRead, soon.Token);
        Assert.Equal("text/event-stream", feed.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await feed.Content.ReadAsStreamAsync());
        Assert.Equal("event: heartbeat", await reader.ReadLineAsync(soon.Token));

        var alices = await suite.RequestTaskAsync(Requests.Task(Requests.Account(owner: _csms.Alice, team: _csms.Enterprise)));
        var bobs = await suite.RequestTaskAsync(Requests.Task(Requests.Account(owner: _csms.Bob, team: _csms.Smb)));
        var carols = await suite.RequestTaskAsync(Requests.Task(Requests.Account(owner: _csms.Carol, team: _csms.Enterprise)));

        // In the order they were created, and Bob's (another team's) never: it was created between the two.
        var seen = await TasksUntilAsync(reader, carols.Task.Id, TimeSpan.FromSeconds(10));
        Assert.Equal([alices.Task.Id, carols.Task.Id], seen.Select(t => t.GetProperty("id").GetString()));
        Assert.DoesNotContain(bobs.Task.Id, seen.Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(_csms.Alice, seen[0].GetProperty("assignee").GetString());
        Assert.Equal("open", seen[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_feed_needs_a_signed_in_person()
    {
        using var anonymous = suite.ClientAs(role: null);
        using var response = await anonymous.GetAsync("/api/tasks/feed", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>The tasks the feed sends (skipping heartbeats) up to and including <paramref name="lastId"/>.</summary>
    private static async Task<List<JsonElement>> TasksUntilAsync(StreamReader reader, string lastId, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        var tasks = new List<JsonElement>();
        string? type = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type == "task.created")
            {
                var task = JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
                tasks.Add(task);
                if (task.GetProperty("id").GetString() == lastId) return tasks;
            }
        }
        throw new InvalidOperationException("The feed ended.");
    }
}
