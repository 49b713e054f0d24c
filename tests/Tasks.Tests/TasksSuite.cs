using Playbooks.ServiceDefaults.Security;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Messaging;
using Playbooks.Messaging.Contracts;
using Playbooks.TestSupport;

namespace Playbooks.Tasks.Tests;

/// <summary>
/// The real embedded suite on a manual clock. Tests publish on its bus what the engine would, and act through the
/// gateway as a CSM's browser would.
/// </summary>
public sealed class TasksSuite : SuiteFixture
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    public ManualTimeProvider Clock { get; } = new(Start);

    public IEventBus Bus => Suite.Services[0].Services.GetRequiredService<IEventBus>();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    /// <summary>Publishes as the engine's outbox relay does; returns once the tasks service has handled it.</summary>
    public Task PublishAsync(EventEnvelope envelope) => Bus.PublishAsync([envelope], CancellationToken.None);

    public static EventEnvelope Envelope<T>(string type, string? accountId, T data) =>
        EventEnvelopeFactory.Create(type, "engine", accountId, data, DateTimeOffset.UtcNow);

    /// <summary>Asks for a task as the engine's CreateTask activity does and returns it as the API shows it.</summary>
    public async Task<TaskDetail> RequestTaskAsync(TaskRequested request)
    {
        await PublishAsync(Envelope(EventTypes.TaskRequested, request.Account.Id, request));
        return await TaskOfAsync(request.InstanceId, request.ActivityId);
    }

    public async Task<TaskDetail> TaskOfAsync(string instanceId, string activityId)
    {
        var page = await ListAsync($"instance={instanceId}&pageSize=200");
        var task = page.Items.Single(t => t.ActivityId == activityId);
        return await GetTaskAsync(task.Id);
    }

    public async Task<TaskDetail> GetTaskAsync(string id) =>
        (await GetJsonAsync($"/api/tasks/{id}")).Deserialize<TaskDetail>(Json)!;

    public async Task<TaskPage> ListAsync(string query) =>
        (await GetJsonAsync($"/api/tasks?{query}")).Deserialize<TaskPage>(Json)!;

    /// <summary>
    /// Sends a request signed in as <paramref name="user"/> (by default in CS Ops, who may work any task); the body is
    /// the response's JSON.
    /// </summary>
    public async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body, string user = "sam@example.com",
        string role = Roles.CsOps, string? team = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", TokenFor(role, user, team));
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement);
    }
}
