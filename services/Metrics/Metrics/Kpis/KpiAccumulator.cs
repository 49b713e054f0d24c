using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>Gathers bucket rows into groups, each with a running total for the range and one per bucket.</summary>
internal sealed class KpiAccumulator<T>(KpiRequest request) where T : new()
{
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);

    public void Add(object?[] dimensions, long bucket, Action<T> add)
    {
        AddToTotal(dimensions, add);
        AddToBucket(dimensions, bucket, add);
    }

    public void AddToTotal(object?[] dimensions, Action<T> add) => add(GroupOf(dimensions).Total);

    public void AddToBucket(object?[] dimensions, long bucket, Action<T> add)
    {
        if (request.Bucket == BucketSize.None) return;
        var group = GroupOf(dimensions);
        if (!group.Buckets.TryGetValue(bucket, out var tally)) group.Buckets[bucket] = tally = new T();
        add(tally);
    }

    public IReadOnlyList<KpiGroup> ToGroups(Func<T, object> figures)
    {
        // Ungrouped, the answer is always one group, with zeros when nothing happened.
        if (_groups.Count == 0 && request.GroupBy.Count == 0) GroupOf([]);
        return _groups.OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => new KpiGroup(
                KeyOf(entry.Value.Dimensions),
                figures(entry.Value.Total),
                entry.Value.Buckets.Select(b => new KpiBucket(UnixDay.ToDate(b.Key), figures(b.Value))).ToList()))
            .ToList();
    }

    private Group GroupOf(object?[] dimensions)
    {
        var key = string.Join('\u001f', dimensions.Select(d => Convert.ToString(d, System.Globalization.CultureInfo.InvariantCulture)));
        if (!_groups.TryGetValue(key, out var group)) _groups[key] = group = new Group(dimensions);
        return group;
    }

    private Dictionary<string, object?> KeyOf(object?[] dimensions) =>
        request.GroupBy.Select((name, i) => (name, value: dimensions[i] is "" ? null : dimensions[i])).ToDictionary(p => p.name, p => p.value);

    private sealed class Group(object?[] dimensions)
    {
        public object?[] Dimensions { get; } = dimensions;

        public T Total { get; } = new();

        public SortedDictionary<long, T> Buckets { get; } = [];
    }
}
