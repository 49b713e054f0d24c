using Playbooks.Engine.Definitions;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Instances;

namespace Playbooks.Engine.Triggers;

/// <summary>
/// The published playbooks' triggers by what fires them, so an event or a field change finds its playbooks with a
/// lookup instead of scanning definitions. Rebuilt whenever a playbook is published, unpublished or archived.
/// </summary>
public sealed class TriggerIndex(DefinitionStore definitions, PlaybookVersions versions)
{
    private volatile Snapshot _snapshot = Snapshot.Empty;

    public sealed record Entry(CompiledPlaybook Playbook, TriggerDefinition Trigger, int Index);

    public sealed record Snapshot(
        IReadOnlyDictionary<string, IReadOnlyList<Entry>> ByEventType,
        IReadOnlyDictionary<string, IReadOnlyList<Entry>> ThresholdsByField,
        IReadOnlyList<Entry> Dates,
        IReadOnlyList<Entry> Schedules,
        IReadOnlyDictionary<string, IReadOnlyList<CompiledPlaybook>> ExitsByEventType,
        IReadOnlyList<CompiledPlaybook> Published,
        string? PublishedSet = null)
    {
        public static readonly Snapshot Empty = new(new Dictionary<string, IReadOnlyList<Entry>>(), new Dictionary<string, IReadOnlyList<Entry>>(), [], [],
            new Dictionary<string, IReadOnlyList<CompiledPlaybook>>(), []);
    }

    public Snapshot Current => _snapshot;

    /// <summary>
    /// What the published set was when the index was last built (PostgreSQL): a publish adds a version, an unpublish
    /// clears a published version, an archive sets the flag, so any of them changes one of the three sums.
    /// </summary>
    public string? Published => _snapshot.PublishedSet;

    public const string PublishedSql =
        "SELECT COALESCE(SUM(latest_version), 0) || ':' || COUNT(published_version) || ':' || COALESCE(SUM(archived), 0) FROM definitions";

    /// <summary>Rebuilds the index unless it was built from the published set <paramref name="publishedSet"/>.</summary>
    public async Task EnsureAsync(string? publishedSet, CancellationToken cancellationToken)
    {
        if (publishedSet is null || publishedSet == Published) return;
        await RefreshAsync(cancellationToken);
    }

    /// <summary>
    /// Rebuilds the index, with the published set it was built from (read before the definitions, so a publish in
    /// between only makes the next look rebuild again).
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var publishedSet = await definitions.PublishedSetAsync(cancellationToken);
        var published = new List<CompiledPlaybook>();
        foreach (var definition in await definitions.PublishedAsync(cancellationToken))
            if (await versions.GetAsync(definition.DefinitionId, definition.Version!.Value, cancellationToken) is { } playbook)
                published.Add(playbook);
        var entries = published.SelectMany(p => p.Definition.Triggers.Select((t, i) => new Entry(p, t, i))).ToList();
        _snapshot = new Snapshot(
            Group(entries.Where(e => e.Trigger.Kind == "event"), e => e.Trigger.EventType!),
            Group(entries.Where(e => e.Trigger.Kind == "threshold"), e => e.Trigger.Field!),
            entries.Where(e => e.Trigger.Kind == "date").ToList(),
            entries.Where(e => e.Trigger.Kind == "schedule").ToList(),
            published.SelectMany(p => (p.Definition.Enrolment?.ExitOn ?? []).Select(x => (x.EventType, p)))
                .GroupBy(x => x.EventType).ToDictionary(g => g.Key, g => (IReadOnlyList<CompiledPlaybook>)g.Select(x => x.p).Distinct().ToList()),
            published,
            publishedSet);
    }

    private static Dictionary<string, IReadOnlyList<Entry>> Group(IEnumerable<Entry> entries, Func<Entry, string> key) =>
        entries.GroupBy(key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<Entry>)g.ToList(), StringComparer.Ordinal);
}
