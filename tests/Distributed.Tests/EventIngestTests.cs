using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Playbooks.Distributed.Tests.Support;
using Playbooks.TestSupport.Distributed;
using Xunit;

namespace Playbooks.Distributed.Tests;

/// <summary>
/// Account events sent to the engine on PostgreSQL, where checking the accounts and storing the events are one
/// statement: a request is stored whole or not at all, and a resent id is counted as a duplicate.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class EventIngestTests(DistributedCluster cluster)
{
    [Fact]
    public async Task A_batch_naming_an_unknown_account_is_refused_whole_and_a_resent_batch_counts_duplicates()
    {
        var account = Flows.Unique("ingest-acct");
        await cluster.AddAccountsAsync([account]);
        var first = new { id = Flows.Unique("ingest-1"), type = "ingest.checked", accountId = account };
        var second = new { id = Flows.Unique("ingest-2"), type = "ingest.checked", accountId = account };
        var stray = new { id = Flows.Unique("ingest-x"), type = "ingest.checked", accountId = Flows.Unique("no-such-account") };

        using (var refused = await cluster.Http.PostAsJsonAsync(cluster.Api("/api/engine/events"), new object[] { first, stray }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            var errors = problem.GetProperty("errors");
            Assert.Contains("No account", errors.GetProperty("$[1].accountId")[0].GetString());
            Assert.False(errors.TryGetProperty("$[0].accountId", out _));
        }
        using (var status = await cluster.Http.GetAsync(cluster.Api($"/api/engine/events/{first.id}")))
            Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);

        var accepted = await cluster.PostAsync("/api/engine/events", new object[] { first, second });
        Assert.Equal(2, accepted.GetProperty("accepted").GetInt32());
        Assert.Equal(0, accepted.GetProperty("duplicates").GetInt32());

        var again = await cluster.PostAsync("/api/engine/events", new object[] { first, second });
        Assert.Equal(0, again.GetProperty("accepted").GetInt32());
        Assert.Equal(2, again.GetProperty("duplicates").GetInt32());
        var stored = await DistributedCluster.EventuallyAsync(() => cluster.GetAsync($"/api/engine/events/{second.id}"),
            e => e.GetProperty("status").GetString() == "processed", TimeSpan.FromSeconds(30), "the event processed");
        Assert.Equal("processed", stored.GetProperty("status").GetString());
    }
}
