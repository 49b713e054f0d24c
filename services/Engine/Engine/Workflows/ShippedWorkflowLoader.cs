using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Storage;
using Playbooks.Engine.Triggers;
using Playbooks.Storage;

namespace Playbooks.Engine.Workflows;

/// <summary>
/// Publishes the playbooks in <c>workflows/</c> at start-up when they are new or their file changed since it was last
/// loaded. An unchanged file leaves the playbook alone, so what CS Ops changed in the designer stays.
/// </summary>
internal sealed partial class ShippedWorkflowLoader(
    IConfiguration configuration, DefinitionStore definitions, DefinitionValidator validator, PlaybookPublication publication,
    ServiceDatabase database, ILogger<ShippedWorkflowLoader> logger) : IHostedService
{
    public const string PathKey = "Engine:WorkflowsPath";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = configuration[PathKey] is { Length: > 0 } configured ? configured : Find();
        if (folder is null || !Directory.Exists(folder)) { LogNoFolder(logger); return; }
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order())
            await LoadAsync(file, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task LoadAsync(string file, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(file);
        var bytes = await File.ReadAllBytesAsync(file, cancellationToken);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        PlaybookDefinition definition;
        try
        {
            definition = JsonSerializer.Deserialize<PlaybookDefinition>(bytes, EngineJson.Options)!;
        }
        catch (JsonException error)
        {
            LogUnreadable(logger, name, error.Message);
            return;
        }
        var problems = validator.Validate(definition);
        if (problems.Count > 0)
        {
            LogInvalid(logger, name, string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}")));
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var loaded = await connection.QuerySingleOrDefaultAsync<string>("SELECT file_hash FROM shipped_workflows WHERE definition_id = @DefinitionId", new { definition.DefinitionId });
        if (loaded == hash) return;
        if (!await definitions.CreateAsync(definition, cancellationToken)) await definitions.UpdateDraftAsync(definition, cancellationToken);
        var version = await definitions.PublishAsync(definition, $"Shipped from workflows/{name}", cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO shipped_workflows (definition_id, file_hash) VALUES (@DefinitionId, @hash) ON CONFLICT (definition_id) DO UPDATE SET file_hash = excluded.file_hash",
            new { definition.DefinitionId, hash });
        await publication.ChangedAsync(definition.DefinitionId, cancellationToken);
        LogPublished(logger, name, definition.DefinitionId, version);
    }

    // The repository's workflows/ folder, from wherever the host runs (the repo root, a bin folder, a container's /app).
    private static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "workflows")) && Directory.EnumerateFiles(Path.Combine(dir.FullName, "workflows"), "*.json").Any())
                    return Path.Combine(dir.FullName, "workflows");
        return null;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Published {File} as {DefinitionId} version {Version}")]
    private static partial void LogPublished(ILogger logger, string file, string definitionId, int version);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "workflows/{File} is not valid JSON for a playbook: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "workflows/{File} has problems and was not published: {Problems}")]
    private static partial void LogInvalid(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "No workflows folder found; no shipped playbooks loaded (set Engine:WorkflowsPath)")]
    private static partial void LogNoFolder(ILogger logger);
}
