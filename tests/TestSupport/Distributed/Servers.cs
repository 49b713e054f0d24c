using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Playbooks.TestSupport.Distributed;

/// <summary>Free loopback ports, child processes and the Debian binaries the tests run (installed by <c>./playbooks test</c>, never by the tests).</summary>
public static class Machine
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsRoot => Environment.UserName == "root";

    public static string PostgresBin()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).LastOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL's server binaries are missing (/usr/lib/postgresql/<version>/bin/initdb). Install them with `apt-get install postgresql`, or run `./playbooks test`, which does.");
    }

    public static string RedisServer() =>
        new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("redis-server is missing. Install it with `apt-get install redis-server`, or run `./playbooks test`, which does.");

    /// <summary>Runs a command to its end; throws with its output when it fails.</summary>
    public static async Task RunAsync(string file, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cancel.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', info.ArgumentList)} exited with {process.ExitCode}: {await output}{await error}");
    }

    /// <summary>Starts a long-running command with its output in <paramref name="log"/>; <c>exec</c> makes the process the command itself, so killing it kills the server.</summary>
    public static Process Start(string command, string log, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec {command} >>'{log}' 2>&1");
        foreach (var (key, value) in environment) info.Environment[key] = value;
        return Process.Start(info)!;
    }
}

/// <summary>A throwaway PostgreSQL cluster on a free loopback port (fsync on unless told otherwise), data in a temp folder.</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _bin = Machine.PostgresBin();
    private readonly bool _fsync;
    private readonly string _settings;

    /// <param name="settings">More server settings (<c>-c name=value</c> …), such as a benchmark's statement statistics.</param>
    public PostgresServer(string folder, bool fsync, string settings = "")
    {
        Folder = folder;
        _fsync = fsync;
        _settings = settings;
        Port = Machine.FreePort();
    }

    public string Folder { get; }
    public int Port { get; }
    // A folder of its own, owned by the postgres user when the tests run as root: the data and the server's log.
    private string Home => Path.Combine(Folder, "postgres");
    private string Data => Path.Combine(Home, "data");

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Database={database};Username=playbooks;Timeout=5";

    public async Task InitAsync()
    {
        Directory.CreateDirectory(Data);
        if (Machine.IsRoot)
        {
            // initdb refuses to run as root: the cluster belongs to the postgres user, as in eng/distributed.sh.
            await Machine.RunAsync("chown", ["-R", "postgres", Home]);
            await Machine.RunAsync("chmod", ["755", Folder]);
        }
        await AsPostgresAsync(Path.Combine(_bin, "initdb"), ["-D", Data, "-U", "playbooks", "--auth=trust", "--no-sync"]);
        await StartAsync();
        await Machine.RunAsync(Path.Combine(_bin, "createdb"), ["-h", "127.0.0.1", "-p", Port.ToString(), "-U", "playbooks", "playbooks"]);
    }

    public Task StartAsync()
    {
        var options = $"-p {Port} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync={(_fsync ? "on" : "off")}"
            + (_fsync ? "" : " -c synchronous_commit=off -c full_page_writes=off") + (_settings.Length > 0 ? " " + _settings : "");
        return AsPostgresAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-o", options, "-l", Path.Combine(Home, "server.log"), "-w", "start"]);
    }

    /// <summary>
    /// CPU seconds the server has used so far: the postmaster, its live backends, and the backends that have exited (which
    /// the postmaster reaped, so they count in its children's time). For benchmarks that report CPU per operation.
    /// </summary>
    public double CpuSeconds()
    {
        var pidFile = Path.Combine(Data, "postmaster.pid");
        if (!File.Exists(pidFile)) return 0;
        var postmaster = int.Parse(File.ReadLines(pidFile).First());
        double total = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); } catch (IOException) { continue; } catch (UnauthorizedAccessException) { continue; }
            // Fields after the command name (which is in parentheses and may hold spaces): state ppid … utime(14) stime(15) cutime(16) cstime(17).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ppid = int.Parse(fields[1]);
            if (pid == postmaster) total += long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14]);
            else if (ppid == postmaster) total += long.Parse(fields[11]) + long.Parse(fields[12]);
        }
        return total / 100.0; // clock ticks (USER_HZ, 100 on Linux)
    }

    public Task StopAsync(string mode = "fast") => AsPostgresAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-m", mode, "-w", "stop"]);

    public Task CreateDatabaseAsync(string name) =>
        Machine.RunAsync(Path.Combine(_bin, "createdb"), ["-h", "127.0.0.1", "-p", Port.ToString(), "-U", "playbooks", name]);

    private static Task AsPostgresAsync(string file, IReadOnlyList<string> arguments) =>
        Machine.IsRoot ? Machine.RunAsync("runuser", ["-u", "postgres", "--", file, .. arguments]) : Machine.RunAsync(file, arguments);

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync("immediate"); } catch (InvalidOperationException) { }
    }
}

/// <summary>A throwaway Redis on a free loopback port, append-only file on, so a restart keeps the streams and groups.</summary>
public sealed class RedisServer(string folder) : IAsyncDisposable
{
    private readonly string _server = Machine.RedisServer();
    private Process? _process;

    public int Port { get; } = Machine.FreePort();
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>CPU seconds the server has used so far.</summary>
    public double CpuSeconds() => ServiceProcess.CpuOf(_process);

    public async Task StartAsync()
    {
        Directory.CreateDirectory(folder);
        _process = Machine.Start($"{_server} --port {Port} --bind 127.0.0.1 --dir '{folder}' --appendonly yes --appendfsync everysec --save ''",
            Path.Combine(folder, "redis.log"), new Dictionary<string, string>());
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new InvalidOperationException($"Redis did not start on port {Port}; see {folder}/redis.log");
    }

    /// <summary>A clean stop (SIGTERM: Redis writes its append-only file and exits).</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
        await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        _process.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        try { _process?.Kill(); _process?.Dispose(); } catch (InvalidOperationException) { }
        return ValueTask.CompletedTask;
    }
}

/// <summary>One service host as its own process: started, waited for until ready, killed.</summary>
public sealed class ServiceProcess(string name, string dll, int port, IReadOnlyDictionary<string, string> environment, string logFolder)
{
    private Process? _process;

    public string Name { get; } = name;
    public Uri Address { get; } = new($"http://127.0.0.1:{port}");
    public bool Running => _process is { HasExited: false };

    public void Start()
    {
        var env = new Dictionary<string, string>(environment) { ["ASPNETCORE_URLS"] = Address.ToString().TrimEnd('/') };
        _process = Machine.Start($"dotnet '{dll}'", Path.Combine(logFolder, $"{Name}.log"), env);
    }

    public async Task WaitUntilReadyAsync(HttpClient http, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (_process is { HasExited: true })
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}: {LogTail()}");
            try
            {
                using var response = await http.GetAsync(new Uri(Address, "/health/ready"));
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds:F0} s: {LogTail()}");
    }

    // The end of the process's log, for a failure message that says why without a folder that is gone by then.
    private string LogTail()
    {
        var log = Path.Combine(logFolder, $"{Name}.log");
        try { return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(30)) : "(no log)"; }
        catch (IOException) { return $"see {log}"; }
    }

    /// <summary>CPU seconds the process has used so far (0 once it is gone), for benchmarks that say where the CPU went.</summary>
    public double CpuSeconds() => CpuOf(_process);

    internal static double CpuOf(Process? process)
    {
        try
        {
            if (process is not { HasExited: false }) return 0;
            process.Refresh();
            return process.TotalProcessorTime.TotalSeconds;
        }
        catch (InvalidOperationException) { return 0; }
    }

    /// <summary>kill -9: no shutdown, no flush, connections dropped mid-transaction.</summary>
    public void Kill()
    {
        if (_process is null) return;
        try { _process.Kill(); _process.WaitForExit(5000); } catch (InvalidOperationException) { }
        _process.Dispose();
        _process = null;
    }
}
