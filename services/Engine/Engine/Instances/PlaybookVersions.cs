using System.Collections.Concurrent;
using Playbooks.Engine.Activities;
using Playbooks.Engine.Definitions;
using Playbooks.Engine.Execution;

namespace Playbooks.Engine.Instances;

/// <summary>
/// Compiled published versions, cached: a version never changes, so its expressions are parsed once per process,
/// not per run. Which version is published is cached too and refreshed when this process publishes.
/// </summary>
public sealed class PlaybookVersions(DefinitionStore definitions, ActivityCatalogue catalogue)
{
    private readonly ConcurrentDictionary<(string, int), CompiledPlaybook> _compiled = new();
    // Which version is published, remembered briefly: this process forgets at once when it publishes, other replicas
    // (distributed mode) when the publish is broadcast to them (PlaybookPublication), and, should a broadcast be lost
    // (Redis restarting), within this time.
    private static readonly TimeSpan PublishedFor = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (int? Version, long At)> _published = new(StringComparer.Ordinal);

    public async Task<CompiledPlaybook?> GetAsync(string definitionId, int version, CancellationToken cancellationToken)
    {
        if (_compiled.TryGetValue((definitionId, version), out var compiled)) return compiled;
        var definition = await definitions.GetVersionAsync(definitionId, version, cancellationToken);
        return definition is null ? null : _compiled.GetOrAdd((definitionId, version), _ => new CompiledPlaybook(definition, catalogue));
    }

    public async Task<CompiledPlaybook?> GetPublishedAsync(string definitionId, CancellationToken cancellationToken)
    {
        if (!_published.TryGetValue(definitionId, out var known) || Environment.TickCount64 - known.At > PublishedFor.TotalMilliseconds)
            _published[definitionId] = known = (await definitions.PublishedVersionAsync(definitionId, cancellationToken), Environment.TickCount64);
        return known.Version is { } v ? await GetAsync(definitionId, v, cancellationToken) : null;
    }

    /// <summary>Called when a definition is published, unpublished or archived.</summary>
    public void Forget(string definitionId) => _published.TryRemove(definitionId, out _);
}
