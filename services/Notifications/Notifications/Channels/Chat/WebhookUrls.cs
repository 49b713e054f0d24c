namespace Playbooks.Notifications.Channels.Chat;

public static class WebhookUrls
{
    public static bool IsValid(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>Scheme, host and port: an outage is per host, so that is what the circuit breaker keys on.</summary>
    public static string Origin(string url) => new Uri(url).GetLeftPart(UriPartial.Authority);
}
