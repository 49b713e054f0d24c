using Playbooks.Metrics.Sketches;
using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>Summed counters of one bucket table and a merged duration sketch for one group, over the range or one bucket.</summary>
internal sealed class Tally
{
    private CounterTable? _table;
    private long[] _sums = [];

    public DurationSketch Durations { get; } = new();

    public long this[string counter] => _table is null ? 0 : _sums[_table.IndexOf(counter)];

    public void Add(BucketRow row)
    {
        if (_table is null)
        {
            _table = row.Table;
            _sums = new long[row.Values.Length];
        }
        for (var i = 0; i < row.Values.Length; i++) _sums[i] += row.Values[i];
    }

    public static readonly Action<Tally, BucketRow> AddRow = static (t, row) => t.Add(row);

    public static readonly Action<Tally, SketchRow> AddSketch = static (t, row) => t.Durations.Merge(row.Bins);

    /// <summary>part ÷ whole to four decimals; null when there is nothing to divide by.</summary>
    public static double? Rate(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}
