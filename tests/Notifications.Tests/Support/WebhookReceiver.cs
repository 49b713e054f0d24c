using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

using Playbooks.TestSupport;

namespace Playbooks.Notifications.Tests.Support;

/// <summary>A real HTTP server on a loopback port standing in for a chat webhook; it can be told to fail.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private LoopbackServer _server = null!;
    private readonly ConcurrentQueue<ReceivedWebhook> _hits = new();
    private int _failuresLeft;
    private int _failureStatus = StatusCodes.Status503ServiceUnavailable;

    private WebhookReceiver()
    {
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        receiver._server = await LoopbackServer.StartAsync(app => app.MapPost("/{**path}", (Delegate)receiver.HandleAsync));
        return receiver;
    }

    public string Url(string path = "/hooks/cs-team") => _server.Address + path;

    /// <summary>The next <paramref name="times"/> requests get <paramref name="status"/> instead of 200.</summary>
    public void Fail(int times, int status = StatusCodes.Status503ServiceUnavailable)
    {
        _failureStatus = status;
        Volatile.Write(ref _failuresLeft, times);
    }

    public void Recover() => Volatile.Write(ref _failuresLeft, 0);

    /// <summary>Every request, answered or refused.</summary>
    public IReadOnlyList<ReceivedWebhook> Hits => _hits.ToList();

    /// <summary>The requests answered 200: the messages that arrived.</summary>
    public IReadOnlyList<ReceivedWebhook> Accepted => _hits.Where(hit => hit.Answered == StatusCodes.Status200OK).ToList();

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var failing = Interlocked.Decrement(ref _failuresLeft) >= 0;
        if (!failing) Interlocked.Exchange(ref _failuresLeft, 0);
        var status = failing ? _failureStatus : StatusCodes.Status200OK;
        string Header(string name) => context.Request.Headers[name].ToString();
        _hits.Enqueue(new ReceivedWebhook(context.Request.Path, body, context.Request.ContentType ?? "",
            Header("X-Playbooks-Signature"), Header("X-Playbooks-Timestamp"), Header("X-Playbooks-Delivery"), status));
        return failing ? Results.Text("temporarily unavailable", statusCode: status) : Results.Text("ok");
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

public sealed record ReceivedWebhook(string Path, string Body, string ContentType, string Signature, string Timestamp, string DeliveryId, int Answered)
{
    public string Text => JsonDocument.Parse(Body).RootElement.GetProperty("text").GetString()!;
}
