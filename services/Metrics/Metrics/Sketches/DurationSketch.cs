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

    // Dense counts for bins _offset … _offset + _counts.Length − 1: queries merge thousands of day sketches, and adding
    // into an array is what keeps that cheap.
    private long[] _counts = [];
    private int _offset;
    private long _zeros;

    // A stored sketch merged into an empty one, kept as stored until something needs its bins: a query with one stored
    // row per bucket (daily buckets of the finest grouping) then reads quantiles straight from the bytes, allocating nothing.
    private byte[]? _stored;

    public long Count { get; private set; }

    public void Add(long milliseconds, long count = 1)
    {
        Unpack();
        Count += count;
        // Below a millisecond is "instant" (a run that ends in the burst that started it).
        if (milliseconds < 1) { _zeros += count; return; }
        AddToBin((int)Math.Ceiling(Math.Log(milliseconds) / LogGamma), count);
    }

    public void Merge(DurationSketch other)
    {
        Unpack();
        other.Unpack();
        Count += other.Count;
        _zeros += other._zeros;
        for (var i = 0; i < other._counts.Length; i++)
            if (other._counts[i] != 0) AddToBin(other._offset + i, other._counts[i]);
    }

    /// <summary>Merges a sketch in its stored form without building it first.</summary>
    public void Merge(byte[]? stored)
    {
        if (stored is null || stored.Length == 0) return;
        if (Count == 0 && _stored is null)
        {
            _stored = stored;
            Count = CountOf(stored);
            return;
        }
        Unpack();
        Merge(stored.AsSpan());
    }

    private void Merge(ReadOnlySpan<byte> stored)
    {
        if (stored.IsEmpty) return;
        var zeros = ReadVarint(ref stored);
        _zeros += zeros;
        Count += zeros;
        var bins = ReadVarint(ref stored);
        var bin = 0;
        for (var i = 0; i < bins; i++)
        {
            bin += (int)ReadVarint(ref stored);
            var count = ReadVarint(ref stored);
            AddToBin(bin, count);
            Count += count;
        }
    }

    /// <summary>The nearest-rank quantile: the smallest sample with at least ⌈q·n⌉ samples at or below it; null when empty.</summary>
    public long? Quantile(double q)
    {
        if (Count == 0) return null;
        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        if (_stored is not null) return QuantileOf(_stored, rank);
        var seen = _zeros;
        if (seen >= rank) return 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return (long)Math.Round(2 * Math.Pow(Gamma, _offset + i) / (Gamma + 1));
        }
        throw new InvalidOperationException("The sketch's bins do not add up to its count.");
    }

    /// <summary>Zero count, then the occupied bins in ascending order as (gap from the previous bin, count), all varints.</summary>
    public byte[] ToBytes()
    {
        if (_stored is not null) return _stored;
        var occupied = 0;
        foreach (var count in _counts) if (count != 0) occupied++;
        var buffer = new byte[10 * (2 + 2 * occupied)];
        var length = 0;
        WriteVarint(buffer, ref length, _zeros);
        WriteVarint(buffer, ref length, occupied);
        var previous = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] == 0) continue;
            // Bins of durations of at least a millisecond are ≥ 0 and ascending, so every gap fits an unsigned varint
            // (the first is the bin itself).
            WriteVarint(buffer, ref length, _offset + i - previous);
            WriteVarint(buffer, ref length, _counts[i]);
            previous = _offset + i;
        }
        return buffer[..length];
    }

    public static DurationSketch FromBytes(byte[]? stored)
    {
        var sketch = new DurationSketch();
        sketch.Merge(stored);
        return sketch;
    }

    private void Unpack()
    {
        if (_stored is null) return;
        var stored = _stored;
        _stored = null;
        Count = 0;
        Merge(stored.AsSpan());
    }

    private static long CountOf(ReadOnlySpan<byte> stored)
    {
        var count = ReadVarint(ref stored);
        var bins = ReadVarint(ref stored);
        for (var i = 0; i < bins; i++)
        {
            ReadVarint(ref stored);
            count += ReadVarint(ref stored);
        }
        return count;
    }

    private static long QuantileOf(ReadOnlySpan<byte> stored, long rank)
    {
        var seen = ReadVarint(ref stored);
        if (seen >= rank) return 0;
        var bins = ReadVarint(ref stored);
        var bin = 0;
        for (var i = 0; i < bins; i++)
        {
            bin += (int)ReadVarint(ref stored);
            seen += ReadVarint(ref stored);
            if (seen >= rank) return (long)Math.Round(2 * Math.Pow(Gamma, bin) / (Gamma + 1));
        }
        throw new InvalidOperationException("The stored sketch's bins do not add up to its count.");
    }

    private void AddToBin(int bin, long count)
    {
        if (_counts.Length == 0)
        {
            _offset = bin - 32;
            _counts = new long[64];
        }
        else if (bin < _offset || bin >= _offset + _counts.Length)
        {
            // Grow towards the new bin with as much room again beyond it, so growth stays amortised in either direction.
            var headroom = _counts.Length / 2;
            var low = bin < _offset ? bin - headroom : _offset;
            var high = bin < _offset ? _offset + _counts.Length - 1 : bin + headroom;
            var grown = new long[high - low + 1];
            Array.Copy(_counts, 0, grown, _offset - low, _counts.Length);
            _counts = grown;
            _offset = low;
        }
        _counts[bin - _offset] += count;
    }

    private static void WriteVarint(byte[] buffer, ref int length, long value)
    {
        var unsigned = (ulong)value;
        while (unsigned >= 0x80)
        {
            buffer[length++] = (byte)(unsigned | 0x80);
            unsigned >>= 7;
        }
        buffer[length++] = (byte)unsigned;
    }

    private static long ReadVarint(ref ReadOnlySpan<byte> span)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = span[0];
            span = span[1..];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return (long)value;
        }
    }
}
