using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Playbooks.Distributed.Tests.Support;

/// <summary>
/// A loopback TCP proxy in front of PostgreSQL that drops the connection of every request containing a marker when the
/// server's reply to it says <c>COMMIT</c> (its CommandComplete tag): the server has committed, the client never hears it.
/// What a network failure between a commit and its acknowledgement looks like to a service.
/// </summary>
public sealed class ReplyCuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly byte[] _marker;
    private static readonly byte[] Committed = Encoding.ASCII.GetBytes("COMMIT\0");
    private readonly CancellationTokenSource _stop = new();
    private int _cuts;

    public ReplyCuttingProxy(int target, string marker)
    {
        _target = target;
        _marker = Encoding.UTF8.GetBytes(marker);
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many replies were lost.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = RelayAsync(client);
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var server = new TcpClient();
        using (client)
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                var marked = 0;
                var up = PumpAsync(client.GetStream(), server.GetStream(), chunk =>
                {
                    if (chunk.IndexOf(_marker) >= 0) Volatile.Write(ref marked, 1);
                    return true;
                });
                var down = PumpAsync(server.GetStream(), client.GetStream(), chunk =>
                {
                    if (Volatile.Read(ref marked) == 0 || chunk.IndexOf(Committed) < 0) return true;
                    Interlocked.Increment(ref _cuts);
                    return false;
                });
                await Task.WhenAny(up, down);
            }
            catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { }
        }
    }

    /// <summary>Copies until either side closes, or until <paramref name="pass"/> refuses a chunk: then both connections drop.</summary>
    private async Task PumpAsync(NetworkStream from, NetworkStream to, Func<ReadOnlySpan<byte>, bool> pass)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0 || !pass(buffer.AsSpan(0, read))) return;
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _stop.Dispose();
    }
}
