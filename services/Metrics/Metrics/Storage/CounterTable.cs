namespace Playbooks.Metrics.Storage;

/// <summary>
/// A table of per-day counters: one row per day and combination of <see cref="Dimensions"/>, each of <see cref="Values"/>
/// a count that folding adds to. Its twin <see cref="WeekName"/> holds the same per week (its <c>day</c> is the Monday).
/// Queries read these rows, never the raw events, so their cost follows days × groups.
/// </summary>
internal sealed record CounterTable(string Name, IReadOnlyList<string> Dimensions, IReadOnlyList<string> Values)
{
    public string WeekName { get; } = BucketTables.WeekNameOf(Name);

    public int IndexOf(string value)
    {
        for (var i = 0; i < Values.Count; i++)
            if (Values[i] == value) return i;
        throw new ArgumentException($"{Name} has no counter '{value}'.", nameof(value));
    }

    public string ConflictClause(string table) =>
        $"ON CONFLICT (day, {string.Join(", ", Dimensions)}) DO UPDATE SET {string.Join(", ", Values.Select(v => $"{v} = {table}.{v} + excluded.{v}"))}";
}
