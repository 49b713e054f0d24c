using Playbooks.Metrics.Sketches;
using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Folding;

/// <summary>
/// What a batch of events adds to the daily buckets, gathered in memory so each bucket row is written once per batch
/// however many of the batch's events touch it.
/// </summary>
internal sealed class BucketDeltas
{
    private readonly Dictionary<string, CounterDelta> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SketchDelta> _sketches = new(StringComparer.Ordinal);

    // Sorted by key: every batch writes rows in the same order, so concurrent writers could never deadlock on them.
    public IEnumerable<CounterDelta> Counters => _counters.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => entry.Value);

    public IEnumerable<SketchDelta> Sketches => _sketches.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => entry.Value);

    /// <summary>Adds to the day's row and to its week's.</summary>
    public void Count(CounterTable table, long day, object[] dimensions, string value, long by = 1)
    {
        var index = table.IndexOf(value);
        CounterOf(table, table.Name, day, dimensions).Values[index] += by;
        CounterOf(table, table.WeekName, UnixDay.WeekOf(day), dimensions).Values[index] += by;
    }

    /// <summary>Adds to the day's sketch and to its week's, in the table and in each of its rollups.</summary>
    public void Sample(SketchTable table, long day, object[] dimensions, long milliseconds)
    {
        foreach (var level in table.Levels)
        {
            var values = level.Project(table, dimensions);
            SketchOf(level, level.Name, day, values).Sketch.Add(milliseconds);
            SketchOf(level, level.WeekName, UnixDay.WeekOf(day), values).Sketch.Add(milliseconds);
        }
    }

    private CounterDelta CounterOf(CounterTable table, string name, long day, object[] dimensions)
    {
        var key = Key(name, day, dimensions);
        if (!_counters.TryGetValue(key, out var delta)) _counters[key] = delta = new CounterDelta(table, name, day, dimensions, new long[table.Values.Count]);
        return delta;
    }

    private SketchDelta SketchOf(SketchTable table, string name, long day, object[] dimensions)
    {
        var key = Key(name, day, dimensions);
        if (!_sketches.TryGetValue(key, out var delta)) _sketches[key] = delta = new SketchDelta(table, name, day, dimensions, new DurationSketch());
        return delta;
    }

    private static string Key(string table, long day, object[] dimensions) => $"{table}\u001f{day}\u001f{string.Join('\u001f', dimensions)}";
}

/// <summary>What to add to one row of <paramref name="TableName"/> (the table's daily or weekly twin).</summary>
internal sealed record CounterDelta(CounterTable Table, string TableName, long Day, object[] Dimensions, long[] Values);

internal sealed record SketchDelta(SketchTable Table, string TableName, long Day, object[] Dimensions, DurationSketch Sketch);
