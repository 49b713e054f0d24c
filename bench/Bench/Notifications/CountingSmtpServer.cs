using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Playbooks.Bench.Notifications;

/// <summary>
/// A minimal SMTP server on loopback that accepts every message and counts it: the benchmark's second sink, so the
/// figures show what the notifications service does when the mail server is not the slowest part (Python's smtpd,
/// the test server, is single-threaded and competes for the same cores).
/// </summary>
internal sealed class CountingSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _received;

    public CountingSmtpServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Received => Volatile.Read(ref _received);

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        client.NoDelay = true;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        async Task ReplyAsync(string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), _stopping.Token);
        try
        {
            await ReplyAsync("220 counting-sink ESMTP");
            while (await reader.ReadLineAsync(_stopping.Token) is { } command)
            {
                var verb = command.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO": await ReplyAsync("250-counting-sink\r\n250 8BITMIME"); break;
                    case "DATA":
                        await ReplyAsync("354 go ahead");
                        while (await reader.ReadLineAsync(_stopping.Token) is { } line && line != ".") { }
                        Interlocked.Increment(ref _received);
                        await ReplyAsync("250 accepted");
                        break;
                    case "QUIT": await ReplyAsync("221 bye"); return;
                    default: await ReplyAsync(verb is "HELO" or "MAIL" or "RCPT" or "RSET" or "NOOP" ? "250 ok" : "502 not implemented"); break;
                }
            }
        }
        catch (Exception error) when (error is IOException or OperationCanceledException or SocketException)
        {
            // The client went away or the sink is stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stopping.Dispose();
    }
}
