using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Embedded;
using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;
using Playbooks.TestSupport;
using Xunit;

namespace Playbooks.Tasks.Tests;

public sealed class RestartTests : IDisposable
{
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "playbooks-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Overdue_survives_a_restart_of_the_suite()
    {
        var start = TasksSuite.Start;
        var fellDueWhileDown = Requests.Task(due: start.AddHours(1));
        var fallsDueAfterRestart = Requests.Task(due: start.AddHours(3));
        await using (var first = await StartAsync(new ManualTimeProvider(start), new InProcessEventBus()))
        {
            var bus = first.Services[0].Services.GetRequiredService<IEventBus>();
            foreach (var request in new[] { fellDueWhileDown, fallsDueAfterRestart })
                await bus.PublishAsync([TasksSuite.Envelope(EventTypes.TaskRequested, request.Account.Id, request)], CancellationToken.None);
        }

        // Down from 09:00 to 11:00: the first task fell due meanwhile.
        var clock = new ManualTimeProvider(start.AddHours(2));
        var watched = new InProcessEventBus();
        using var recorder = new BusRecorder(watched, EventTypes.TaskOverdue);
        await using var second = await StartAsync(clock, watched);

        await recorder.WaitForAsync(EventTypes.TaskOverdue, e => e.InstanceId == fellDueWhileDown.InstanceId);
        Assert.Empty(recorder.TaskEvents(e => e.InstanceId == fallsDueAfterRestart.InstanceId));
        clock.Advance(TimeSpan.FromHours(2));
        await recorder.WaitForAsync(EventTypes.TaskOverdue, e => e.InstanceId == fallsDueAfterRestart.InstanceId);

        using var client = new HttpClient { BaseAddress = second.Address }.SignedInAsAdmin(second.Gateway.Services);
        var page = await client.GetFromJsonAsync<TaskPage>("/api/tasks?overdue=true", SuiteFixture.Json);
        Assert.Equal([fellDueWhileDown.InstanceId, fallsDueAfterRestart.InstanceId], page!.Items.Select(t => t.InstanceId));
    }

    private Task<PlaybooksSuite> StartAsync(TimeProvider clock, IEventBus bus) =>
        PlaybooksSuite.StartAsync([], new Dictionary<string, string?>
        {
            ["Playbooks:Url"] = "http://127.0.0.1:0",
            ["Playbooks:DataPath"] = _dataPath,
            ["Logging:LogLevel:Default"] = "Warning",
        }, services =>
        {
            services.AddSingleton(clock);
            services.AddSingleton(bus);
        });

    public void Dispose()
    {
        try { Directory.Delete(_dataPath, recursive: true); } catch (IOException) { }
    }
}
