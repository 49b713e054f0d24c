using Playbooks.Metrics.Sketches;

namespace Playbooks.Metrics.Kpis;

/// <summary>Summed counters (by column name) and a merged duration sketch for one group, over the range or one bucket.</summary>
internal sealed class Tally
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public DurationSketch Durations { get; } = new();

    public long this[string counter] => _counts.GetValueOrDefault(counter);

    public void Add(BucketRow row)
    {
        for (var i = 0; i < row.Values.Length; i++)
            _counts[row.Table.Values[i]] = _counts.GetValueOrDefault(row.Table.Values[i]) + row.Values[i];
    }

    /// <summary>part ÷ whole to four decimals; null when there is nothing to divide by.</summary>
    public static double? Rate(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}
