using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;

namespace Playbooks.ServiceDefaults.Telemetry;

/// <summary>
/// Keeps credentials out of exported spans, whatever recorded them. ASP.NET Core and HttpClient record no headers, but
/// URLs carry secrets too: query strings (<c>?api_key=…</c>, <c>?access_token=…</c>) and chat webhook addresses, whose
/// path is the credential (<c>/services/T0/B0/XXXXXXXX</c>). So on every span, before any exporter sees it:
/// <list type="bullet">
/// <item>attributes named like a credential (authorization, cookie, token, api key, password, secret) are replaced;</item>
/// <item>query string values in URL attributes are replaced (names are kept: they help and tell nothing);</item>
/// <item>on outgoing HTTP spans, path segments that look like a token (long, letters and digits mixed) are replaced.</item>
/// </list>
/// </summary>
public sealed partial class SecretScrubbingProcessor : BaseProcessor<Activity>
{
    public const string Redacted = "[redacted]";

    private static readonly string[] UrlTags = ["url.full", "url.query", "http.url", "http.target", "url.original"];

    public override void OnEnd(Activity data) => Scrub(data);

    /// <summary>Rewrites the span's attributes in place.</summary>
    public static void Scrub(Activity activity)
    {
        List<KeyValuePair<string, string?>>? changes = null;
        foreach (var (key, value) in activity.Tags)
        {
            if (value is null) continue;
            var scrubbed = ScrubTag(key, value, activity.Kind == ActivityKind.Client);
            if (!ReferenceEquals(scrubbed, value)) (changes ??= []).Add(new(key, scrubbed));
        }
        if (changes is null) return;
        foreach (var (key, value) in changes) activity.SetTag(key, value);
    }

    /// <summary>The value an attribute is exported with; <paramref name="outgoing"/> for spans of calls this process makes.</summary>
    public static string ScrubTag(string key, string value, bool outgoing)
    {
        if (CredentialName().IsMatch(key)) return Redacted;
        if (!UrlTags.Contains(key, StringComparer.Ordinal)) return value;
        var scrubbed = key == "url.query" ? ScrubQuery(value) : ScrubUrl(value, outgoing);
        return scrubbed == value ? value : scrubbed;
    }

    private static string ScrubUrl(string url, bool outgoing)
    {
        var queryAt = url.IndexOf('?');
        var path = queryAt < 0 ? url : url[..queryAt];
        var query = queryAt < 0 ? "" : "?" + ScrubQuery(url[(queryAt + 1)..]);
        if (outgoing) path = TokenLikeSegment().Replace(path, Redacted);
        return path + query;
    }

    // "a=1&b=2" → "a=*&b=*", as .NET itself redacts query strings in HttpClient's url.full.
    private static string ScrubQuery(string query) => QueryValue().Replace(query, match => match.Groups[1].Value + "*");

    [GeneratedRegex("authorization|cookie|token|api[-_.]?key|password|secret", RegexOptions.IgnoreCase)]
    private static partial Regex CredentialName();

    [GeneratedRegex("([^=&?]+=)[^&]*")]
    private static partial Regex QueryValue();

    // A path segment of 20+ URL-safe characters mixing letters and digits: a webhook secret, a signed token. Ordinary
    // segments (api, tasks, complete) are words; ids of this length are redacted too, which costs little in a client span.
    [GeneratedRegex(@"(?<=/)(?=[A-Za-z0-9_\-]*[0-9])(?=[A-Za-z0-9_\-]*[A-Za-z])[A-Za-z0-9_\-]{20,}(?=/|$)")]
    private static partial Regex TokenLikeSegment();
}
