using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>Gathers bucket rows into groups, each with a running total for the range and one per bucket.</summary>
internal sealed class KpiAccumulator<T>(KpiRequest request) where T : new()
{
    private readonly Dictionary<object?[], Group> _groups = new(DimensionsComparer.Instance);

    /// <summary>Adds <paramref name="item"/> to the group's total and bucket; a static <paramref name="add"/> keeps this allocation-free per row.</summary>
    public void Add<TItem>(object?[] dimensions, long bucket, TItem item, Action<T, TItem> add)
    {
        var group = GroupOf(dimensions);
        add(group.Total, item);
        if (request.Bucket == BucketSize.None) return;
        if (!group.Buckets.TryGetValue(bucket, out var tally)) group.Buckets[bucket] = tally = new T();
        add(tally, item);
    }

    public void AddToTotal<TItem>(object?[] dimensions, TItem item, Action<T, TItem> add) => add(GroupOf(dimensions).Total, item);

    public void AddToBucket<TItem>(object?[] dimensions, long bucket, TItem item, Action<T, TItem> add)
    {
        if (request.Bucket == BucketSize.None) return;
        var group = GroupOf(dimensions);
        if (!group.Buckets.TryGetValue(bucket, out var tally)) group.Buckets[bucket] = tally = new T();
        add(tally, item);
    }

    public IReadOnlyList<KpiGroup> ToGroups(Func<T, object> figures)
    {
        // Ungrouped, the answer is always one group, with zeros when nothing happened.
        if (_groups.Count == 0 && request.GroupBy.Count == 0) GroupOf([]);
        return _groups.Values
            .OrderBy(g => g.SortKey, StringComparer.Ordinal)
            .Select(g => new KpiGroup(
                KeyOf(g.Dimensions),
                figures(g.Total),
                g.Buckets.Select(b => new KpiBucket(UnixDay.ToDate(b.Key), figures(b.Value))).ToList()))
            .ToList();
    }

    private Group GroupOf(object?[] dimensions)
    {
        if (!_groups.TryGetValue(dimensions, out var group)) _groups[dimensions] = group = new Group(dimensions);
        return group;
    }

    private Dictionary<string, object?> KeyOf(object?[] dimensions) =>
        request.GroupBy.Select((name, i) => (name, value: dimensions[i] is "" ? null : dimensions[i])).ToDictionary(p => p.name, p => p.value);

    private sealed class Group(object?[] dimensions)
    {
        public object?[] Dimensions { get; } = dimensions;

        public string SortKey { get; } = string.Join('\u001f', dimensions.Select(d => Convert.ToString(d, System.Globalization.CultureInfo.InvariantCulture)));

        public T Total { get; } = new();

        public SortedDictionary<long, T> Buckets { get; } = [];
    }

    private sealed class DimensionsComparer : IEqualityComparer<object?[]>
    {
        public static readonly DimensionsComparer Instance = new();

        public bool Equals(object?[]? x, object?[]? y) => x!.AsSpan().SequenceEqual(y!);

        public int GetHashCode(object?[] dimensions)
        {
            var hash = new HashCode();
            foreach (var dimension in dimensions) hash.Add(dimension);
            return hash.ToHashCode();
        }
    }
}
