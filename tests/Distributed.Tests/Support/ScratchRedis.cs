using Microsoft.Extensions.Logging.Abstractions;
using Playbooks.Messaging.Redis;
using Playbooks.TestSupport.Distributed;
using StackExchange.Redis;

namespace Playbooks.Distributed.Tests.Support;

/// <summary>A throwaway Redis server, and the connections and buses a test opens on it (closed with it).</summary>
public sealed class ScratchRedis : IAsyncDisposable
{
    private readonly string _folder;
    private readonly RedisServer _server;
    private readonly List<ConnectionMultiplexer> _connections = [];

    private ScratchRedis(string folder, RedisServer server) => (_folder, _server) = (folder, server);

    /// <summary>For a service process or host of the test's own.</summary>
    public string ConnectionString => _server.ConnectionString;

    public static async Task<ScratchRedis> StartAsync(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"playbooks-{name}", Guid.NewGuid().ToString("N")[..12]);
        var server = new RedisServer(folder);
        await server.StartAsync();
        return new ScratchRedis(folder, server);
    }

    /// <summary>Stops the server cleanly (its streams are kept), as an outage or a restart would.</summary>
    public Task StopAsync() => _server.StopAsync();

    /// <summary>Starts it again on the same port, from its append-only file.</summary>
    public Task StartAgainAsync() => _server.StartAsync();

    public async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(_server.ConnectionString);
        _connections.Add(connection);
        return connection;
    }

    /// <summary>The event bus as a service replica has it, on a connection of its own.</summary>
    internal async Task<RedisStreamsEventBus> BusAsync(TimeSpan? reclaimAfter = null)
    {
        var options = ConfigurationOptions.Parse(_server.ConnectionString);
        var bus = new RedisBusOptions(options, TimeSpan.FromMinutes(10));
        return new RedisStreamsEventBus(await ConnectAsync(), reclaimAfter is { } after ? bus with { ReclaimAfter = after } : bus,
            NullLogger<RedisStreamsEventBus>.Instance);
    }

    /// <summary>A stream's entries, oldest first, each as its fields.</summary>
    public static async Task<List<Dictionary<string, string>>> EntriesAsync(IDatabase database, string stream)
    {
        var entries = (RedisResult[])(await database.ExecuteAsync("XRANGE", stream, "-", "+"))!;
        return [.. entries.Select(entry =>
        {
            var flat = (RedisResult[])((RedisResult[])entry!)[1]!;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < flat.Length; i += 2) fields[(string)flat[i]!] = (string)flat[i + 1]!;
            return fields;
        })];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections) connection.Dispose();
        await _server.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
