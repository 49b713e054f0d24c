using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Playbooks.ServiceDefaults.Hosting;

namespace Playbooks.Notifications.Templates;

/// <summary>
/// Adds the shipped templates that are missing when the service starts. Templates already there are left alone,
/// so a designer's edits to a shipped template survive upgrades and restarts.
/// </summary>
internal sealed partial class TemplateSeeder(TemplateStore store, TemplateValidator validator, ILogger<TemplateSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var template in ShippedTemplates.Load())
        {
            // A shipped template that does not pass our own check is a bug in this build: refuse to start rather than ship it.
            var problems = validator.Validate(template);
            if (problems.Count > 0)
                throw new StartupFailure($"The shipped template '{template.Id}' is invalid: {string.Join(" ", problems.SelectMany(p => p.Value.Select(v => $"{p.Key}: {v}")))}");
            if (await store.AddAsync(template, shipped: true, cancellationToken)) LogSeeded(logger, template.Id!);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Added the shipped template {TemplateId}")]
    private static partial void LogSeeded(ILogger logger, string templateId);
}
