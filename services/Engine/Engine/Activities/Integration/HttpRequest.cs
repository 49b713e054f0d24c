using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Playbooks.Engine.Execution;

namespace Playbooks.Engine.Activities.Integration;

/// <summary>
/// Calls an outbound webhook (a CRM, a data warehouse) with a timeout and retries on 5xx and network errors.
/// Success for 2xx, Failure otherwise; simulations do not call out.
/// </summary>
public sealed class HttpRequest : Activity
{
    public const string Success = "Success";
    public const string Failure = "Failure";
    public const string ClientName = "playbooks-webhooks";

    public override ActivityDescriptor Descriptor { get; } = new("HttpRequest", "Integration", "HTTP request",
        "Calls an HTTP endpoint; Success on 2xx, Failure otherwise.",
        [
            new("url", "URL", InputKind.Template, "e.g. https://crm.example.com/hooks/{{ account.id }}", Required: true),
            new("method", "Method", InputKind.Choice, "", Options: ["GET", "POST", "PUT", "PATCH", "DELETE"], Default: InputDescriptor.Json("POST")),
            new("body", "Body", InputKind.Object, "JSON body"),
            new("timeout", "Timeout", InputKind.Duration, "", Default: InputDescriptor.Json("PT10S")),
            new("retries", "Retries", InputKind.Number, "Extra attempts on 5xx or network errors", Default: InputDescriptor.Json(2)),
        ],
        [Success, Failure]);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var url = context.Text("url")!;
        var method = new HttpMethod(context.Text("method") ?? "POST");
        var body = context.Value("body");
        if (context.Run.Simulating || context.Http is null)
            return ActivityResult.Complete(Success, new JsonObject { ["simulated"] = true, ["url"] = url, ["method"] = method.Method });
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return ActivityResult.Fault($"'{url}' is not an absolute http(s) URL.");

        var timeout = context.Duration("timeout") ?? TimeSpan.FromSeconds(10);
        var attempts = 1 + Math.Clamp((int)(context.Number("retries") ?? 2), 0, 5);
        var client = context.Http.CreateClient(ClientName);
        string? lastError = null;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                using var response = await client.SendAsync(request, cancel.Token);
                var text = await response.Content.ReadAsStringAsync(cancel.Token);
                var output = new JsonObject { ["status"] = (int)response.StatusCode, ["body"] = text.Length > 4096 ? text[..4096] : text, ["attempts"] = attempt };
                if (response.IsSuccessStatusCode) return ActivityResult.Complete(Success, output);
                if ((int)response.StatusCode < 500 || attempt == attempts) return ActivityResult.Complete(Failure, output);
                lastError = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception error) when (error is HttpRequestException or OperationCanceledException)
            {
                lastError = error is OperationCanceledException
                    ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"no answer within {timeout.TotalSeconds:0.###} s")
                    : error.Message;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
        }
        return ActivityResult.Complete(Failure, new JsonObject { ["error"] = lastError, ["attempts"] = attempts });
    }
}
