using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Embedded;
using Playbooks.ServiceDefaults.Security;
using Xunit;

namespace Playbooks.TestSupport;

/// <summary>
/// The real embedded suite on a free loopback port with its own data folder: tests talk to it through the gateway
/// exactly as a user's browser or script would.
/// </summary>
public class SuiteFixture : IAsyncLifetime
{
    public PlaybooksSuite Suite { get; private set; } = null!;

    /// <summary>Signed in as an admin, who may call every API; use <see cref="ClientAs"/> to act in another role.</summary>
    public HttpClient Client { get; private set; } = null!;

    public const string AdminUser = "admin@playbooks.test";

    public string DataPath { get; } = Path.Combine(Path.GetTempPath(), "playbooks-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Extra configuration for a fixture that needs it.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>
    /// Whether the engine publishes the repository's workflows/ at start-up. Off by default, so a test's instance counts
    /// are not disturbed by a shipped playbook that the test's events also trigger.
    /// </summary>
    protected virtual bool LoadShippedWorkflows => false;

    /// <summary>Extra services for every part of the suite (e.g. a <see cref="ManualTimeProvider"/>), for a fixture that needs them.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Override to start what the suite's settings point at (e.g. a mail server) before calling this.</summary>
    public virtual Task InitializeAsync() => StartSuiteAsync();

    /// <summary>
    /// Stops the whole suite and starts a new one on the same data folder, as after a deploy or a crash: whatever the
    /// services keep must come back from their stores. The bus is new too, so subscribe again afterwards.
    /// </summary>
    public async Task RestartAsync()
    {
        Client.Dispose();
        await Suite.DisposeAsync();
        await StartSuiteAsync();
    }

    private async Task StartSuiteAsync()
    {
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["Playbooks:DataPath"] = DataPath,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        settings.TryAdd("Playbooks:Url", "http://127.0.0.1:0");
        // Quiet hours (21:00–08:00 UTC by default) hold customer email on the wall clock, which made the suite's email
        // tests fail when run in the evening; they are tested on a clock the test moves, in QuietHoursDeliveryTests.
        settings.TryAdd("Notifications:QuietHours:Enabled", "false");
        if (!LoadShippedWorkflows) settings.TryAdd("Engine:WorkflowsPath", Path.Combine(DataPath, "no-workflows"));
        Suite = await PlaybooksSuite.StartAsync([], settings, ConfigureServices);
        Client = ClientAs(Roles.Admin, AdminUser);
    }

    /// <summary>A token the suite accepts, as its dev sign-in would issue it.</summary>
    public string TokenFor(string role, string user, string? team = null) =>
        Suite.Gateway.Services.GetRequiredService<TokenIssuer>().Issue(user, role, team).Token;

    /// <summary>A client of the gateway signed in as <paramref name="user"/> in <paramref name="role"/>; null role for an anonymous one.</summary>
    public HttpClient ClientAs(string? role, string user = "someone@playbooks.test", string? team = null)
    {
        var client = new HttpClient { BaseAddress = Suite.Address, Timeout = TimeSpan.FromSeconds(30) };
        if (role is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", TokenFor(role, user, team));
        return client;
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await Suite.DisposeAsync();
        try { Directory.Delete(DataPath, recursive: true); } catch (IOException) { }
    }

    public static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {path} → {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> PostJsonAsync(string path, object? body)
    {
        var response = await Client.PostAsJsonAsync(path, body, Json);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement);
    }

    /// <summary>Polls until <paramref name="condition"/> holds: the suite works asynchronously through its bus.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        T last;
        do
        {
            last = await probe();
            if (condition(last)) return last;
            await Task.Delay(50);
        } while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"Condition not met in time; last value: {last}");
    }
}
