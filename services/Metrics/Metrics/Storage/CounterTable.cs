namespace Playbooks.Metrics.Storage;

/// <summary>
/// A table of per-day counters: one row per day and combination of <see cref="Dimensions"/>, each of <see cref="Values"/>
/// a count that folding adds to. Queries read these rows, never the raw events, so their cost follows days × groups.
/// </summary>
internal sealed record CounterTable(string Name, IReadOnlyList<string> Dimensions, IReadOnlyList<string> Values)
{
    public int IndexOf(string value)
    {
        for (var i = 0; i < Values.Count; i++)
            if (Values[i] == value) return i;
        throw new ArgumentException($"{Name} has no counter '{value}'.", nameof(value));
    }

    public string ConflictClause =>
        $"ON CONFLICT (day, {string.Join(", ", Dimensions)}) DO UPDATE SET {string.Join(", ", Values.Select(v => $"{v} = {Name}.{v} + excluded.{v}"))}";
}

/// <summary>A table of per-day <see cref="Sketches.DurationSketch"/>es: <c>samples</c> and the sketch's <c>bins</c> per day and dimensions.</summary>
internal sealed record SketchTable(string Name, IReadOnlyList<string> Dimensions);
