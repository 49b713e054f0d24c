using Playbooks.ServiceDefaults.Security;
using Playbooks.TestSupport.Distributed;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Playbooks.Distributed.Tests.Support;

/// <summary>
/// The suite in distributed mode, as production runs it but on loopback: PostgreSQL and Redis from Debian's binaries on
/// free ports (data in a temp folder), and every service as its own <c>dotnet</c> process — two engine replicas, tasks,
/// notifications, metrics — behind the gateway. Tests talk to the gateway (or one replica) over HTTP, and kill, stop and
/// restart the processes and servers. Before the services start, the engine's schema is migrated only up to the previous
/// version and given data (<see cref="LegacyData"/>), so starting the new version is itself the upgrade under test.
/// </summary>
public sealed class DistributedCluster : IAsyncLifetime
{
    // Any 32+ characters: every /api route will require a bearer token signed with it (the security work); set for every process.
    public const string SigningKey = "distributed-tests-signing-key-0123456789abcdef";
    public static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(5);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "playbooks-distributed-tests", Guid.NewGuid().ToString("N")[..12]);
    public PostgresServer Postgres { get; private set; } = null!;
    public RedisServer Redis { get; private set; } = null!;
    public ServiceProcess[] Engines { get; private set; } = [];
    public ServiceProcess Tasks { get; private set; } = null!;
    public ServiceProcess Notifications { get; private set; } = null!;
    public ServiceProcess Metrics { get; private set; } = null!;
    public ServiceProcess Gateway { get; private set; } = null!;
    public LegacyData Legacy { get; private set; } = null!;

    /// <summary>Every HTTP call the tests make goes through this one client (absolute URIs); add authentication here.</summary>
    public HttpClient Http { get; } = CreateHttpClient();

    /// <summary>A client signed in as an admin with a token the cluster's processes accept (they share <see cref="SigningKey"/>).</summary>
    public static HttpClient CreateHttpClient()
    {
        var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new("Bearer",
            new TokenIssuer(new AuthOptions(), SigningKey, TimeProvider.System).Issue("admin@playbooks.test", Roles.Admin, lifetime: TimeSpan.FromHours(2)).Token);
        return client;
    }

    public IEnumerable<ServiceProcess> Services => [.. Engines, Tasks, Notifications, Metrics, Gateway];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        Postgres = new PostgresServer(Folder, fsync: false);
        Redis = new RedisServer(Path.Combine(Folder, "redis"));
        await Task.WhenAll(Postgres.InitAsync(), Redis.StartAsync());
        Legacy = await LegacyData.WriteAtPreviousVersionAsync(Postgres.ConnectionString("playbooks"));

        var root = RepositoryRoot();
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        string Dll(string project, string assembly) => Path.Combine(root, project, "bin", configuration, "net10.0", assembly);
        var environment = new Dictionary<string, string>
        {
            ["Playbooks__Mode"] = "Distributed",
            ["ConnectionStrings__Postgres"] = Postgres.ConnectionString("playbooks"),
            ["ConnectionStrings__Redis"] = Redis.ConnectionString,
            ["Playbooks__Auth__SigningKey"] = SigningKey,
            ["Engine__ClaimLeaseSeconds"] = ((int)ClaimLease.TotalSeconds).ToString(),
            ["Engine__WorkflowsPath"] = Path.Combine(Folder, "no-workflows"),
            ["Logging__LogLevel__Default"] = "Warning",
            ["DOTNET_gcServer"] = "0",
        };
        var engine = Dll("services/Engine/Host", "Playbooks.Engine.Host.dll");
        Engines = [new("engine-a", engine, Machine.FreePort(), environment, Folder), new("engine-b", engine, Machine.FreePort(), environment, Folder)];
        Tasks = new("tasks", Dll("services/Tasks/Host", "Playbooks.Tasks.Host.dll"), Machine.FreePort(), environment, Folder);
        Notifications = new("notifications", Dll("services/Notifications/Host", "Playbooks.Notifications.Host.dll"), Machine.FreePort(), environment, Folder);
        Metrics = new("metrics", Dll("services/Metrics/Host", "Playbooks.Metrics.Host.dll"), Machine.FreePort(), environment, Folder);
        var gatewayEnvironment = new Dictionary<string, string>(environment)
        {
            ["Playbooks__Services__engine"] = string.Join(',', Engines.Select(e => e.Address.ToString().TrimEnd('/'))),
            ["Playbooks__Services__tasks"] = Tasks.Address.ToString().TrimEnd('/'),
            ["Playbooks__Services__notifications"] = Notifications.Address.ToString().TrimEnd('/'),
            ["Playbooks__Services__metrics"] = Metrics.Address.ToString().TrimEnd('/'),
        };
        Gateway = new("gateway", Dll("gateway/Host", "Playbooks.Gateway.Host.dll"), Machine.FreePort(), gatewayEnvironment, Folder);
        foreach (var dll in new[] { engine, Dll("gateway/Host", "Playbooks.Gateway.Host.dll") })
            if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build the solution (or this test project) first.");
        foreach (var service in Services) service.Start();
        await Task.WhenAll(Services.Select(s => s.WaitUntilReadyAsync(Http, TimeSpan.FromSeconds(90))));
    }

    public Uri Api(string path) => new(Gateway.Address, path);

    public async Task<JsonElement> GetAsync(Uri uri)
    {
        using var response = await Http.GetAsync(uri);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {uri} → {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public Task<JsonElement> GetAsync(string path) => GetAsync(Api(path));

    public async Task<JsonElement> PostAsync(Uri uri, object? body)
    {
        using var response = await Http.PostAsJsonAsync(uri, body, JsonSerializerOptions.Web);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"POST {uri} → {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> PostAsync(string path, object? body) => PostAsync(Api(path), body);

    /// <summary>Creates and publishes a playbook through the gateway (or through one replica).</summary>
    public async Task PublishAsync(JsonObject definition, Uri? via = null)
    {
        var id = definition["definitionId"]!.GetValue<string>();
        var baseAddress = via ?? Gateway.Address;
        using (var created = await Http.PostAsJsonAsync(new Uri(baseAddress, "/api/engine/definitions"), definition, JsonSerializerOptions.Web))
            if (!created.IsSuccessStatusCode)
            {
                using var saved = await Http.PutAsJsonAsync(new Uri(baseAddress, $"/api/engine/definitions/{id}"), definition, JsonSerializerOptions.Web);
                if (!saved.IsSuccessStatusCode) throw new HttpRequestException($"saving {id} → {(int)saved.StatusCode}: {await saved.Content.ReadAsStringAsync()}");
            }
        await PostAsync(new Uri(baseAddress, $"/api/engine/definitions/{id}/publish"), new { note = "test" });
    }

    public async Task AddAccountsAsync(IEnumerable<string> ids)
    {
        foreach (var chunk in ids.Chunk(200))
            foreach (var id in chunk)
                await PostAsync("/api/engine/accounts", Account(id));
    }

    public static JsonObject Account(string id, string? renewalDate = null) => new()
    {
        ["id"] = id,
        ["name"] = $"Account {id}",
        ["ownerCsm"] = "aiko@playbooks.example",
        ["segment"] = "enterprise",
        ["renewalDate"] = renewalDate ?? "2027-06-30",
        ["healthScore"] = 70,
        ["timeZone"] = "UTC",
        ["contacts"] = new JsonArray(new JsonObject { ["name"] = "Hana Sato", ["email"] = "hana@acme.example", ["role"] = "admin" }),
    };

    /// <summary>Polls until <paramref name="done"/> holds, failing with the last value seen.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        T last = default!;
        Exception? lastError = null;
        while (DateTime.UtcNow < until)
        {
            try
            {
                last = await read();
                if (done(last)) return last;
                lastError = null;
            }
            catch (HttpRequestException error) { lastError = error; }
            catch (TaskCanceledException error) { lastError = error; }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{what}: not reached within {timeout.TotalSeconds:F0} s; last seen {last}{(lastError is null ? "" : $" ({lastError.Message})")}");
    }

    /// <summary>How many runs of the playbook there are (in <paramref name="status"/>), asked through the gateway or one replica.</summary>
    public async Task<int> InstanceCountAsync(string definitionId, string? status = null, Uri? via = null) =>
        (await GetAsync(new Uri(via ?? Gateway.Address, $"/api/engine/instances?definitionId={definitionId}{(status is null ? "" : $"&status={status}")}&take=1")))
        .GetProperty("total").GetInt32();

    /// <summary>Every task of the accounts, read page by page: (instance id, activity id) per task.</summary>
    public async Task<List<(string Instance, string Activity)>> TasksOfAsync(IEnumerable<string> accounts)
    {
        var tasks = new List<(string, string)>();
        foreach (var account in accounts)
            for (var page = 1; ; page++)
            {
                var body = await GetAsync($"/api/tasks?account={account}&status=open,snoozed,done,cancelled&pageSize=200&page={page}");
                var items = body.GetProperty("items").EnumerateArray().ToList();
                tasks.AddRange(items.Select(t => (t.GetProperty("instanceId").GetString()!, t.GetProperty("activityId").GetString()!)));
                if (items.Count < 200) break;
            }
        return tasks;
    }

    /// <summary>Every delivery to the accounts: (instance id, activity id, recipient) per delivery.</summary>
    public async Task<List<(string Instance, string Activity, string Recipient)>> DeliveriesOfAsync(IEnumerable<string> accounts)
    {
        var deliveries = new List<(string, string, string)>();
        foreach (var account in accounts)
            for (var page = 1; ; page++)
            {
                var body = await GetAsync($"/api/notifications/deliveries?account={account}&pageSize=200&page={page}");
                var items = body.GetProperty("items").EnumerateArray().ToList();
                deliveries.AddRange(items.Select(d => (d.GetProperty("instanceId").GetString()!, d.GetProperty("activityId").GetString()!, d.GetProperty("recipient").GetString() ?? "")));
                if (items.Count < 200) break;
            }
        return deliveries;
    }

    public async Task DisposeAsync()
    {
        foreach (var service in Services.Where(s => s is not null)) service.Kill();
        if (Redis is not null) await Redis.DisposeAsync();
        if (Postgres is not null) await Postgres.DisposeAsync();
        Http.Dispose();
        if (Environment.GetEnvironmentVariable("PLAYBOOKS_KEEP_TEST_DATA") != "1")
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Playbooks.sln"))) return dir.FullName;
        throw new InvalidOperationException("Playbooks.sln not found above the test assembly.");
    }
}

[CollectionDefinition(Name)]
public sealed class DistributedCollection : ICollectionFixture<DistributedCluster>
{
    public const string Name = "distributed";
}
