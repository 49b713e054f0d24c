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

    public void Count(CounterTable table, long day, object[] dimensions, string value, long by = 1)
    {
        var key = Key(table.Name, day, dimensions);
        if (!_counters.TryGetValue(key, out var delta))
            _counters[key] = delta = new CounterDelta(table, day, dimensions, new long[table.Values.Count]);
        delta.Values[table.IndexOf(value)] += by;
    }

    public void Sample(SketchTable table, long day, object[] dimensions, long milliseconds)
    {
        var key = Key(table.Name, day, dimensions);
        if (!_sketches.TryGetValue(key, out var delta))
            _sketches[key] = delta = new SketchDelta(table, day, dimensions, new DurationSketch());
        delta.Sketch.Add(milliseconds);
    }

    private static string Key(string table, long day, object[] dimensions) => $"{table}\u001f{day}\u001f{string.Join('\u001f', dimensions)}";
}

internal sealed record CounterDelta(CounterTable Table, long Day, object[] Dimensions, long[] Values);

internal sealed record SketchDelta(SketchTable Table, long Day, object[] Dimensions, DurationSketch Sketch);
