using System.Diagnostics;
using System.Net.Http.Json;
using Playbooks.ServiceDefaults.Telemetry;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Suite.Tests.Observability;

/// <summary>Credentials a caller sends (bearer tokens, API keys, in headers or the query string) never reach spans or logs.</summary>
public sealed class SecretsStayOutOfTelemetryTests(ObservedSuiteFixture suite, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ObservedSuiteFixture>
{
    private const string Token = "secret-token-xyz";
    private const string ApiKey = "pk_secretvalue";

    [Fact]
    public async Task Tokens_and_api_keys_sent_with_requests_appear_in_no_span_attribute_and_no_log()
    {
        await suite.UpsertAccountAsync("secretive");
        ActivityTraceId trace;
        using (var root = TelemetryCapture.TestSource.StartActivity("customer event with credentials", ActivityKind.Client)!)
        {
            trace = root.TraceId;
            // Through the fixture's client (it will carry the suite's own token); these headers override it for this request.
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/engine/events?api_key={ApiKey}&access_token={Token}")
            {
                Content = JsonContent.Create(new { id = "secretive-signed", type = "contract.signed", accountId = "secretive" }),
            };
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {Token}");
            request.Headers.TryAddWithoutValidation("X-Api-Key", ApiKey);
            (await suite.Client.SendAsync(request)).Dispose();
            (await suite.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/tasks?token={Token}")
            {
                Headers = { { "Authorization", $"Bearer {Token}" }, { "X-Api-Key", ApiKey } },
            })).Dispose();
        }

        // Wait until the gateway has served both (with authentication on, it may refuse these credentials itself), let
        // whatever the event set off finish, then look at everything captured.
        await SuiteFixture.EventuallyAsync(
            () => Task.FromResult(suite.Telemetry.SpansOf(trace)),
            spans => spans.Count(span => span.GetTagItem("playbooks.service") as string == "gateway" && span.Kind == ActivityKind.Server) >= 2,
            TimeSpan.FromSeconds(20));
        await Task.Delay(1000);

        var spans = suite.Telemetry.Spans.ToList();
        foreach (var span in spans.Where(span => span.TraceId == trace))
            output.WriteLine($"{span.OperationName}: {string.Join(", ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"))}");
        var leaks = spans
            .SelectMany(span => span.TagObjects.Select(tag => (span.OperationName, tag.Key, Value: tag.Value?.ToString() ?? "")))
            .Concat(spans.SelectMany(span => span.Events.SelectMany(e => e.Tags.Select(tag => (span.OperationName, tag.Key, Value: tag.Value?.ToString() ?? "")))))
            .Where(tag => tag.Value.Contains(Token) || tag.Value.Contains(ApiKey))
            .ToList();
        Assert.True(leaks.Count == 0, "Secrets in span attributes: " + string.Join("; ", leaks));
        // The requests were seen: the gateway's server span and its call to the engine, without the query's values.
        Assert.Contains(spans, span => span.TraceId == trace && span.GetTagItem("playbooks.service") as string == "gateway"
                                       && span.GetTagItem("url.path") as string == "/api/engine/events");
        Assert.Contains(spans, span => span.TraceId == trace && (span.GetTagItem("url.full") as string ?? "").Contains("/api/engine/events"));

        var logged = suite.Telemetry.Logs.Concat(suite.Telemetry.OtelLogs)
            .Where(log => log.Message.Contains(Token) || log.Message.Contains(ApiKey) || log.Values.Any(v => v.Contains(Token) || v.Contains(ApiKey)))
            .Select(log => $"{log.Category}: {log.Message}")
            .ToList();
        Assert.True(logged.Count == 0, "Secrets in logs: " + string.Join("; ", logged));
    }

    [Theory]
    [InlineData("url.full", "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdEFGH1234ijklMNOP5678", true,
        "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/[redacted]")]
    [InlineData("url.full", "http://127.0.0.1:5101/api/engine/events?api_key=pk_1&x=2", false, "http://127.0.0.1:5101/api/engine/events?api_key=*&x=*")]
    [InlineData("url.query", "?access_token=abc", false, "?access_token=*")]
    [InlineData("http.request.header.authorization", "Bearer abc", false, "[redacted]")]
    [InlineData("http.request.header.x-api-key", "pk_1", false, "[redacted]")]
    [InlineData("url.full", "http://127.0.0.1:5101/api/tasks/complete", true, "http://127.0.0.1:5101/api/tasks/complete")]
    [InlineData("playbooks.definition", "kickoff", false, "kickoff")]
    public void The_exporting_pipeline_scrubs_credentials_from_span_attributes(string key, string value, bool outgoing, string expected) =>
        Assert.Equal(expected, SecretScrubbingProcessor.ScrubTag(key, value, outgoing));
}
