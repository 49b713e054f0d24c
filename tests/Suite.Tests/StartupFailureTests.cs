using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Embedded;
using Playbooks.Engine;
using Playbooks.Messaging;
using Playbooks.ServiceDefaults;
using Playbooks.ServiceDefaults.Hosting;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Suite.Tests;

public sealed class StartupFailureTests
{
    [Fact]
    public async Task Suite_on_a_port_in_use_fails_fast_and_names_the_setting_to_change()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var settings = new Dictionary<string, string?>
        {
            ["Playbooks:Url"] = $"http://127.0.0.1:{port}",
            ["Playbooks:DataPath"] = Path.Combine(Path.GetTempPath(), "playbooks-tests", Guid.NewGuid().ToString("N")),
        };

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<StartupFailure>(() => PlaybooksSuite.StartAsync([], settings));

        Assert.Contains("already in use", failure.Message);
        Assert.Contains("Playbooks:Url", failure.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Distributed_service_with_unreachable_postgres_fails_fast_saying_what_to_fix()
    {
        var closedPort = FreePort();
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Playbooks:Mode"] = "Distributed";
        builder.Configuration["ConnectionStrings:Postgres"] = $"Host=127.0.0.1;Port={closedPort};Database=playbooks;Username=playbooks";
        builder.Configuration["Playbooks:Auth:SigningKey"] = TestTokens.SigningKey;
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<IEventBus, InProcessEventBus>(); // the PostgreSQL check is under test, not Redis
        builder.AddServiceDefaults(EngineService.Name);
        builder.AddEngineService();
        await using var app = builder.Build();

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<StartupFailure>(() => app.StartAsync());

        Assert.Contains("Cannot reach PostgreSQL", failure.Message);
        Assert.Contains("ConnectionStrings__Postgres", failure.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData(null, "Set Playbooks__Auth__SigningKey")]
    [InlineData("short", "too short")]
    public void Distributed_service_without_a_usable_signing_key_refuses_to_start(string? key, string message)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Playbooks:Mode"] = "Distributed";
        builder.Configuration["Playbooks:Auth:SigningKey"] = key;

        var failure = Assert.Throws<StartupFailure>(() => builder.AddServiceDefaults(EngineService.Name));

        Assert.Contains(message, failure.Message);
    }

    [Theory]
    [InlineData("00:10:00")]
    [InlineData("7d")]
    public void An_inbox_retention_too_short_or_unreadable_refuses_to_start_saying_what_it_takes(string keepHandled)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Playbooks:Inbox:KeepHandled"] = keepHandled;

        var failure = Assert.Throws<StartupFailure>(() => builder.AddEventBus());

        Assert.Contains($"Playbooks__Inbox__KeepHandled is '{keepHandled}'", failure.Message);
        Assert.Contains("at least a day, e.g. 7.00:00:00", failure.Message);
    }

    [Fact]
    public void Distributed_service_without_redis_configured_refuses_to_start()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Playbooks:Mode"] = "Distributed";

        var failure = Assert.Throws<StartupFailure>(() => builder.AddEventBus());

        Assert.Contains("ConnectionStrings__Redis", failure.Message);
    }

    [Fact]
    public void Distributed_service_with_unreachable_redis_fails_fast()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Playbooks:Mode"] = "Distributed";
        builder.Configuration["ConnectionStrings:Redis"] = $"127.0.0.1:{FreePort()},connectTimeout=2000";

        var clock = Stopwatch.StartNew();
        var failure = Assert.Throws<StartupFailure>(() => builder.AddEventBus());

        Assert.Contains("Cannot reach Redis", failure.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
