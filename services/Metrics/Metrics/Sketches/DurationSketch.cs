namespace Playbooks.Metrics.Sketches;

/// <summary>
/// A mergeable quantile sketch of durations in milliseconds (the DDSketch idea): a value v lands in bin ⌈log_γ v⌉ with
/// γ = (1 + α) / (1 − α), so every quantile it reports is within α = 1 % of a true sample. Bins merge by adding counts,
/// which is what lets one row per day combine into any range, and the bin count grows with the logarithm of the spread
/// of durations (a few hundred bins between one second and a year), not with the number of samples.
/// </summary>
internal sealed class DurationSketch
{
    public const double RelativeAccuracy = 0.01;

    private static readonly double Gamma = (1 + RelativeAccuracy) / (1 - RelativeAccuracy);
    private static readonly double LogGamma = Math.Log(Gamma);

    // Sorted so quantiles walk bins in order and the stored form is the same however the samples arrived.
    private readonly SortedDictionary<int, long> _bins = [];
    private long _zeros;

    public long Count { get; private set; }

    public void Add(long milliseconds, long count = 1)
    {
        Count += count;
        // Below a millisecond is "instant" (a run that ends in the burst that started it).
        if (milliseconds < 1) { _zeros += count; return; }
        var bin = (int)Math.Ceiling(Math.Log(milliseconds) / LogGamma);
        _bins[bin] = _bins.GetValueOrDefault(bin) + count;
    }

    public void Merge(DurationSketch other)
    {
        Count += other.Count;
        _zeros += other._zeros;
        foreach (var (bin, count) in other._bins) _bins[bin] = _bins.GetValueOrDefault(bin) + count;
    }

    /// <summary>The nearest-rank quantile: the smallest sample with at least ⌈q·n⌉ samples at or below it; null when empty.</summary>
    public long? Quantile(double q)
    {
        if (Count == 0) return null;
        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        var seen = _zeros;
        if (seen >= rank) return 0;
        foreach (var (bin, count) in _bins)
        {
            seen += count;
            if (seen >= rank) return (long)Math.Round(2 * Math.Pow(Gamma, bin) / (Gamma + 1));
        }
        return (long)Math.Round(2 * Math.Pow(Gamma, _bins.Keys.Last()) / (Gamma + 1));
    }

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            writer.Write7BitEncodedInt64(_zeros);
            writer.Write7BitEncodedInt(_bins.Count);
            foreach (var (bin, count) in _bins)
            {
                writer.Write(bin);
                writer.Write7BitEncodedInt64(count);
            }
        }
        return buffer.ToArray();
    }

    public static DurationSketch FromBytes(byte[]? bytes)
    {
        var sketch = new DurationSketch();
        if (bytes is null || bytes.Length == 0) return sketch;
        using var reader = new BinaryReader(new MemoryStream(bytes));
        sketch._zeros = reader.Read7BitEncodedInt64();
        sketch.Count = sketch._zeros;
        var bins = reader.Read7BitEncodedInt();
        for (var i = 0; i < bins; i++)
        {
            var bin = reader.ReadInt32();
            var count = reader.Read7BitEncodedInt64();
            sketch._bins[bin] = count;
            sketch.Count += count;
        }
        return sketch;
    }
}
