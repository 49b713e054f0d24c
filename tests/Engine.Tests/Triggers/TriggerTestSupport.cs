using System.Net;
using System.Text.Json;
using Playbooks.Engine.Tests.Support;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Engine.Tests.Triggers;

/// <summary>Steps the trigger tests share: a waiting playbook with given triggers, account events, and the runs they made.</summary>
internal static class TriggerTestSupport
{
    /// <summary>An event type no other test uses, e.g. <c>t3f9a1c2b.signed</c>.</summary>
    public static string UniqueEventType(string what = "signed") => $"t{Guid.NewGuid().ToString("N")[..8]}.{what}";

    /// <summary>Start → WaitForEvent (never comes): a run stays running so caps and exits can be seen.</summary>
    public static Playbook Waiting(string id) =>
        Playbook.Chain(id, ("wait", "WaitForEvent", new { eventType = "never.happens" }));

    public static async Task<HttpResponseMessage> PostEventsAsync(SuiteFixture suite, object events)
    {
        var (response, body) = await suite.PostJsonAsync("/api/engine/events", events);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"events answered {(int)response.StatusCode}: {body}");
        return response;
    }

    public static Task WaitProcessedAsync(SuiteFixture suite, string eventId) =>
        SuiteFixture.EventuallyAsync(() => suite.GetJsonAsync($"/api/engine/events/{eventId}"), e => e.GetProperty("status").GetString() == "processed",
            TimeSpan.FromSeconds(30));

    public static async Task<IReadOnlyList<JsonElement>> RunsAsync(SuiteFixture suite, string definitionId, string? accountId = null)
    {
        var page = await suite.GetJsonAsync($"/api/engine/instances?definitionId={definitionId}{(accountId is null ? "" : $"&accountId={accountId}")}&take=500");
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    public static Task<IReadOnlyList<JsonElement>> RunsEventuallyAsync(SuiteFixture suite, string definitionId, int count, string? accountId = null) =>
        SuiteFixture.EventuallyAsync(() => RunsAsync(suite, definitionId, accountId), runs => runs.Count >= count, TimeSpan.FromSeconds(30));

    public static async Task UpsertAsync(SuiteFixture suite, object account)
    {
        var (response, body) = await suite.PostJsonAsync("/api/engine/accounts", account);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
    }
}
