using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Playbooks.Metrics.Tests;

/// <summary>
/// Debian's PostgreSQL on a free loopback port with a throwaway data folder (there is no Docker engine here).
/// As root, the server runs as the postgres user, which initdb requires.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _data;

    private PostgresServer(string bin, string data, int port)
    {
        _bin = bin;
        _data = data;
        ConnectionString = $"Host=127.0.0.1;Port={port};Database=postgres;Username=playbooks";
    }

    public string ConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault()
            : null;
        if (bin is null) throw new InvalidOperationException("PostgreSQL is not installed: apt-get install postgresql (tests start it on a loopback port).");
        var data = Path.Combine(Path.GetTempPath(), "playbooks-pg", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        if (Environment.UserName == "root") await RunAsync("chown", $"postgres {data}");
        var server = new PostgresServer(bin, data, FreePort());
        await server.AsServerUserAsync("initdb", $"-D {data} -U playbooks --auth=trust --no-sync");
        var port = new Npgsql.NpgsqlConnectionStringBuilder(server.ConnectionString).Port;
        // fsync off: a test database need not survive a power cut, and it makes the tests faster.
        await server.AsServerUserAsync("pg_ctl", $"-D {data} -o \"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off\" -l {data}/server.log -w start");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try { await AsServerUserAsync("pg_ctl", $"-D {_data} -m immediate stop"); } catch (InvalidOperationException) { }
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    private Task AsServerUserAsync(string tool, string arguments) => Environment.UserName == "root"
        ? RunAsync("runuser", $"-u postgres -- {Path.Combine(_bin, tool)} {arguments}")
        : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {await error}{await output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
