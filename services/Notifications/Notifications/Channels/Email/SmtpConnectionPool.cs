using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Playbooks.Notifications.Channels.Email;

/// <summary>
/// Keeps up to <see cref="SmtpOptions.MaxConnections"/> connections open and reuses them: a new connection costs
/// a TCP and TLS handshake, EHLO and AUTH, several times the message itself. (System.Net.Mail.SmtpClient opens one per
/// message, which is why this service speaks SMTP itself.)
/// </summary>
internal sealed class SmtpConnectionPool(SmtpOptions options, TimeProvider time) : IAsyncDisposable
{
    private readonly SemaphoreSlim _slots = new(options.MaxConnections, options.MaxConnections);
    private readonly ConcurrentStack<(SmtpSession Session, long IdleSince)> _idle = new();

    /// <exception cref="SmtpReplyException">The server refused.</exception>
    /// <exception cref="IOException">The connection failed or the server did not answer in time.</exception>
    public async Task SendAsync(string from, string to, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            try
            {
                await SendOnSomeConnectionAsync(from, to, content, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"The SMTP server {options.Endpoint} did not answer within {options.Timeout.TotalSeconds:0.#} s.");
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task SendOnSomeConnectionAsync(string from, string to, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (TakeIdle() is { } reused)
        {
            try
            {
                await SendOnAsync(reused, from, to, content, cancellationToken);
                return;
            }
            catch (Exception error) when (error is IOException or SocketException && !reused.ContentWritten)
            {
                // An idle connection the server had closed meanwhile. It accepted nothing, so a fresh one may carry the message.
            }
        }
        var fresh = await SmtpSession.OpenAsync(options, cancellationToken);
        await SendOnAsync(fresh, from, to, content, cancellationToken);
    }

    private async Task SendOnAsync(SmtpSession session, string from, string to, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        try
        {
            await session.SendAsync(from, to, content, cancellationToken);
        }
        catch (SmtpReplyException refused) when (refused.ConnectionUsable)
        {
            await KeepAfterRefusalAsync(session, cancellationToken);
            throw;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
        if (session.MessagesSent >= options.MessagesPerConnection) await session.DisposeAsync();
        else _idle.Push((session, time.GetTimestamp()));
    }

    private async Task KeepAfterRefusalAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        try
        {
            await session.ResetAsync(cancellationToken);
            _idle.Push((session, time.GetTimestamp()));
        }
        catch (Exception error) when (error is IOException or SocketException or SmtpReplyException or OperationCanceledException)
        {
            await session.DisposeAsync();
        }
    }

    private SmtpSession? TakeIdle()
    {
        while (_idle.TryPop(out var idle))
        {
            if (time.GetElapsedTime(idle.IdleSince) <= options.IdleTimeout) return idle.Session;
            _ = idle.Session.DisposeAsync().AsTask();
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryPop(out var idle)) await idle.Session.DisposeAsync();
        _slots.Dispose();
    }
}
