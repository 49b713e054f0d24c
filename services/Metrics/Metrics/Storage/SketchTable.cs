namespace Playbooks.Metrics.Storage;

/// <summary>
/// A table of per-day <see cref="Sketches.DurationSketch"/>es (<c>samples</c>, <c>bins</c>) by dimensions, and its weekly twin.
/// Sketches cannot be merged in SQL, so a query reads one row per day and group of the table; <see cref="Rollups"/> keep
/// the same sketches over fewer dimensions, and a query grouped by fewer reads the smallest table that has its groupings.
/// </summary>
internal sealed record SketchTable(string Name, IReadOnlyList<string> Dimensions, IReadOnlyList<SketchTable>? Rollups = null)
{
    public string WeekName { get; } = BucketTables.WeekNameOf(Name);

    /// <summary>This table and its rollups, most detailed first.</summary>
    public IEnumerable<SketchTable> Levels => [this, .. Rollups ?? []];

    /// <summary>The table with the fewest dimensions that still has every one of <paramref name="needed"/>.</summary>
    public SketchTable LevelFor(IEnumerable<string> needed) =>
        Levels.Where(level => needed.All(level.Dimensions.Contains)).MinBy(level => level.Dimensions.Count)!;

    /// <summary>The values of this table's dimensions picked out of <paramref name="values"/>, given for <paramref name="of"/>'s dimensions.</summary>
    public object[] Project(SketchTable of, object[] values) =>
        ReferenceEquals(of, this) ? values : Dimensions.Select(d => values[IndexIn(of, d)]).ToArray();

    private static int IndexIn(SketchTable table, string dimension)
    {
        for (var i = 0; i < table.Dimensions.Count; i++)
            if (table.Dimensions[i] == dimension) return i;
        throw new ArgumentException($"{table.Name} has no dimension '{dimension}'.", nameof(dimension));
    }
}
