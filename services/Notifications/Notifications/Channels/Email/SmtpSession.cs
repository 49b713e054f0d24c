using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Playbooks.Notifications.Channels.Email;

/// <summary>
/// One connection to the SMTP server, set up (TLS, EHLO, AUTH) once and then used for many messages.
/// Not thread-safe: the pool lends it to one sender at a time.
/// </summary>
internal sealed class SmtpSession : IAsyncDisposable
{
    private static readonly string ClientName = System.Net.Dns.GetHostName();

    private readonly TcpClient _tcp;
    private readonly byte[] _buffer = new byte[8192];
    private Stream _stream;
    private int _start;
    private int _end;

    private SmtpSession(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
    }

    public int MessagesSent { get; private set; }

    /// <summary>Whether the current message's content reached the server: past that point its fate is unknown if the connection breaks.</summary>
    public bool ContentWritten { get; private set; }

    public static async Task<SmtpSession> OpenAsync(SmtpOptions options, CancellationToken cancellationToken)
    {
        // Commands are small writes followed by a read: without NoDelay, Nagle's algorithm and delayed ACKs stall each by ~40 ms.
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(options.Host, options.Port, cancellationToken);
            Stream stream = tcp.GetStream();
            if (options.Security == SmtpSecurity.Tls) stream = await WrapInTlsAsync(stream, options.Host, cancellationToken);
            var session = new SmtpSession(tcp, stream);
            await session.ExpectAsync(2, SmtpStage.Session, "connect", cancellationToken);
            var extensions = await session.HelloAsync(cancellationToken);
            if (options.Security == SmtpSecurity.StartTls)
            {
                if (!extensions.Contains("STARTTLS"))
                    throw new SmtpReplyException(0, "the server does not offer STARTTLS; set Notifications:Smtp:Security to Tls or None", SmtpStage.Session, "EHLO");
                await session.CommandAsync("STARTTLS", 2, SmtpStage.Session, cancellationToken);
                await session.UpgradeToTlsAsync(options.Host, cancellationToken);
                await session.HelloAsync(cancellationToken);
            }
            if (options.UserName is not null)
            {
                var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{options.UserName}\0{options.Password}"));
                await session.CommandAsync($"AUTH PLAIN {token}", 2, SmtpStage.Session, cancellationToken, shown: "AUTH PLAIN");
            }
            return session;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends one message: <paramref name="content"/> is the dot-stuffed MIME text ending in CRLF.</summary>
    public async Task SendAsync(string from, string to, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ContentWritten = false;
        await CommandAsync($"MAIL FROM:<{from}>", 2, SmtpStage.Envelope, cancellationToken);
        await CommandAsync($"RCPT TO:<{to}>", 2, SmtpStage.Envelope, cancellationToken);
        await CommandAsync("DATA", 3, SmtpStage.Message, cancellationToken);
        ContentWritten = true;
        await _stream.WriteAsync(content, cancellationToken);
        await _stream.WriteAsync(".\r\n"u8.ToArray(), cancellationToken);
        try
        {
            await ExpectAsync(2, SmtpStage.Message, "end of data", cancellationToken);
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException)
        {
            // The whole message is with the server, which may have taken it: sent again, it could arrive twice.
            throw new SmtpOutcomeUnknownException(error);
        }
        MessagesSent++;
    }

    /// <summary>Abandons a refused message so the connection can carry the next one.</summary>
    public Task ResetAsync(CancellationToken cancellationToken) => CommandAsync("RSET", 2, SmtpStage.Envelope, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await WriteLineAsync("QUIT", quick.Token);
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server may already have gone; closing is all that is left to do.
        }
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    private async Task<HashSet<string>> HelloAsync(CancellationToken cancellationToken)
    {
        await WriteLineAsync($"EHLO {ClientName}", cancellationToken);
        var (code, lines) = await ReadReplyAsync(cancellationToken);
        if (code / 100 == 2)
            return lines.Skip(1).Select(line => line.Split(' ')[0].ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        // Servers that predate ESMTP answer EHLO with 5xx and still accept HELO.
        await CommandAsync($"HELO {ClientName}", 2, SmtpStage.Session, cancellationToken);
        return [];
    }

    private async Task CommandAsync(string command, int expectedClass, SmtpStage stage, CancellationToken cancellationToken, string? shown = null)
    {
        await WriteLineAsync(command, cancellationToken);
        await ExpectAsync(expectedClass, stage, shown ?? command, cancellationToken);
    }

    private async Task ExpectAsync(int expectedClass, SmtpStage stage, string command, CancellationToken cancellationToken)
    {
        var (code, lines) = await ReadReplyAsync(cancellationToken);
        if (code / 100 != expectedClass) throw new SmtpReplyException(code, string.Join(" ", lines), stage, command);
    }

    private Task WriteLineAsync(string line, CancellationToken cancellationToken) =>
        _stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), cancellationToken).AsTask();

    // A reply is one or more lines "250-text" ending with "250 text".
    private async Task<(int Code, List<string> Lines)> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), out var code))
                throw new IOException($"The SMTP server sent something that is not a reply: '{line}'.");
            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] != '-') return (code, lines);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                _start = newline + 1;
                return line;
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length) throw new IOException("The SMTP server sent a reply line longer than 8 KiB.");
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0) throw new IOException("The SMTP server closed the connection.");
            _end += read;
        }
    }

    private async Task UpgradeToTlsAsync(string host, CancellationToken cancellationToken)
    {
        if (_start != _end) throw new IOException("The SMTP server sent data before the TLS handshake.");
        _stream = await WrapInTlsAsync(_stream, host, cancellationToken);
    }

    private static async Task<Stream> WrapInTlsAsync(Stream stream, string host, CancellationToken cancellationToken)
    {
        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, cancellationToken);
        return tls;
    }
}
