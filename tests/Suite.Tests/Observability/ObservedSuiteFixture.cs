using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Suite.Tests.Observability;

/// <summary>
/// The suite as users start it (shipped playbooks published) with its spans, measurements and logs captured, and
/// information-level logs on for the parts that log requests, so the secrets tests see what an SRE's logs would hold.
/// </summary>
public sealed class ObservedSuiteFixture : SuiteFixture
{
    public const string Csm = "aiko@example.com";

    public TelemetryCapture Telemetry { get; } = new();

    protected override bool LoadShippedWorkflows => true;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Playbooks"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        ["Logging:LogLevel:System.Net.Http"] = "Information",
        ["Logging:LogLevel:Yarp"] = "Information",
        // The console (test output) stays at Warning: a provider's own rule beats the category rules above.
        ["Logging:Console:LogLevel:Default"] = "Warning",
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(Telemetry.LoggerProvider());
        services.Configure<OpenTelemetryLoggerOptions>(options => options.AddProcessor(Telemetry.LogRecordProcessor()));
    }

    public async Task UpsertAccountAsync(string id)
    {
        var (response, body) = await PostJsonAsync("/api/engine/accounts", new
        {
            id, name = "Acme", ownerCsm = Csm, csmManager = "ken@example.com", segment = "smb", healthScore = 75, timeZone = "UTC",
            contacts = new[] { new { name = "Ann", email = "ann@acme.test", role = "admin" } },
        });
        Assert.True(response.IsSuccessStatusCode, body.ToString());
    }

    public async Task PostEventAsync(object accountEvent)
    {
        var (response, body) = await PostJsonAsync("/api/engine/events", accountEvent);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToString());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Telemetry.Dispose();
    }
}
