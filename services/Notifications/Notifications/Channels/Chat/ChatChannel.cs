using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Playbooks.Notifications.Channels.Chat;

/// <summary>Slack-compatible incoming webhooks: <c>{"text": "..."}</c> POSTed as JSON, signed when a secret is configured.</summary>
internal sealed class ChatChannel(IHttpClientFactory clients, ChatOptions options, TimeProvider time) : INotificationChannel
{
    public const string HttpClientName = "notifications-chat";

    public string Name => ChannelNames.Chat;

    public bool ResendIsHarmless => false;

    public string EndpointOf(OutgoingNotification notification) =>
        WebhookUrls.IsValid(notification.WebhookUrl)
            ? WebhookUrls.Origin(notification.WebhookUrl!)
            : throw new ArgumentException($"The chat message has no usable webhook URL ('{notification.WebhookUrl}').");

    public async Task<SendResult> SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { text = Text(notification) });
        using var request = new HttpRequestMessage(HttpMethod.Post, notification.WebhookUrl)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
        };
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.DeliveryHeader, notification.DeliveryId);
        if (options.SigningSecret is { Length: > 0 } secret) request.Headers.Add(WebhookSignature.Header, WebhookSignature.Compute(secret, timestamp, body));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            return await ClassifyAsync(response, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SendResult.Transient($"The webhook at {EndpointOf(notification)} did not answer within {options.Timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException error)
        {
            return SendResult.Transient($"Cannot reach the webhook at {EndpointOf(notification)}: {error.Message}");
        }
    }

    private static string Text(OutgoingNotification notification) =>
        string.IsNullOrWhiteSpace(notification.Subject) ? notification.Text : $"*{notification.Subject}*\n{notification.Text}";

    private async Task<SendResult> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return SendResult.Sent;
        var said = await response.Content.ReadAsStringAsync(cancellationToken);
        var error = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase} from the webhook{(said.Length > 0 ? ": " + said[..Math.Min(200, said.Length)] : "")}";
        var code = (int)response.StatusCode;
        // 408 and 429 say "later", like 5xx; any other 4xx says this request will never be accepted.
        return code >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            ? SendResult.Transient(error, RetryAfter(response))
            : SendResult.Permanent(error);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow(),
        _ => null,
    };
}
