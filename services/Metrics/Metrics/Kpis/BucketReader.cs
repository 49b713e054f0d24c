using System.Data.Common;
using Dapper;
using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>
/// Reads bucket rows for a request, summed per bucket and group in SQL (counters) or as stored (sketches, merged by the
/// caller). Day buckets read the daily table; week buckets and whole-range totals read the weekly table for the whole
/// weeks inside the range and the daily table only for the days at either end. Every read is a range of each table's
/// primary key, which starts with the day.
/// </summary>
internal static class BucketReader
{
    public static async Task<IReadOnlyList<BucketRow>> CountersAsync(DbConnection connection, CounterTable table, KpiRequest request,
        IReadOnlyList<string> groupColumns, CancellationToken cancellationToken)
    {
        var rows = new List<BucketRow>();
        foreach (var (name, weekly, from, to) in Ranges(table.Name, table.WeekName, request))
        {
            var bucket = BucketColumn(request.Bucket, weekly);
            var grouping = request.Bucket == BucketSize.None ? groupColumns : [bucket, .. groupColumns];
            var sums = table.Values.Select(v => $"COALESCE(CAST(SUM({v}) AS BIGINT), 0)");
            var sql = $"SELECT {string.Join(", ", [bucket, .. groupColumns, .. sums])} FROM {name} WHERE {Where(table.Dimensions, request)}"
                + (grouping.Count > 0 ? $" GROUP BY {string.Join(", ", grouping)}" : "");
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, Parameters(request, from, to), cancellationToken: cancellationToken));
            while (await reader.ReadAsync(cancellationToken))
            {
                var values = new long[table.Values.Count];
                for (var i = 0; i < values.Length; i++) values[i] = reader.GetInt64(1 + groupColumns.Count + i);
                rows.Add(new BucketRow(table, reader.GetInt64(0), Dimensions(reader, groupColumns.Count), values));
            }
        }
        return rows;
    }

    public static async Task<IReadOnlyList<SketchRow>> SketchesAsync(DbConnection connection, SketchTable sketches, KpiRequest request,
        IReadOnlyList<string> groupColumns, CancellationToken cancellationToken)
    {
        var table = sketches.LevelFor(request.Playbook is null ? groupColumns : [.. groupColumns, "definition_id"]);
        var rows = new List<SketchRow>();
        foreach (var (name, weekly, from, to) in Ranges(table.Name, table.WeekName, request))
        {
            var sql = $"SELECT {string.Join(", ", [BucketColumn(request.Bucket, weekly), .. groupColumns, "bins"])} FROM {name} WHERE {Where(table.Dimensions, request)}";
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, Parameters(request, from, to), cancellationToken: cancellationToken));
            while (await reader.ReadAsync(cancellationToken))
                rows.Add(new SketchRow(reader.GetInt64(0), Dimensions(reader, groupColumns.Count), (byte[])reader.GetValue(1 + groupColumns.Count)));
        }
        return rows;
    }

    /// <summary>Which table to read for which days: (table, is weekly, first day, last day).</summary>
    private static IEnumerable<(string Table, bool Weekly, long From, long To)> Ranges(string daily, string weekly, KpiRequest request)
    {
        const long Day = UnixDay.Milliseconds;
        var (from, to) = (request.FromDay, request.ToDay);
        var firstMonday = UnixDay.WeekOf(from) == from ? from : UnixDay.WeekOf(from) + 7 * Day;
        var lastMonday = UnixDay.WeekOf(to + Day) - 7 * Day;
        if (request.Bucket == BucketSize.Day || firstMonday > lastMonday)
        {
            yield return (daily, false, from, to);
            yield break;
        }
        if (from < firstMonday) yield return (daily, false, from, firstMonday - Day);
        yield return (weekly, true, firstMonday, lastMonday);
        if (lastMonday + 7 * Day <= to) yield return (daily, false, lastMonday + 7 * Day, to);
    }

    private static string BucketColumn(BucketSize bucket, bool weekly) => bucket switch
    {
        BucketSize.Day => "day",
        BucketSize.Week => weekly ? "day" : UnixDay.WeekOfDaySql,
        _ => "CAST(0 AS BIGINT)",
    };

    private static string Where(IReadOnlyList<string> dimensions, KpiRequest request) =>
        "day >= @from AND day <= @to" + (request.Playbook is not null && dimensions.Contains("definition_id") ? " AND definition_id = @playbook" : "");

    private static object Parameters(KpiRequest request, long from, long to) => new { from, to, playbook = request.Playbook };

    // SQLite and PostgreSQL both give text as string and BIGINT as long.
    private static object?[] Dimensions(DbDataReader reader, int count)
    {
        var dimensions = new object?[count];
        for (var i = 0; i < count; i++) dimensions[i] = reader.IsDBNull(1 + i) ? null : reader.GetValue(1 + i);
        return dimensions;
    }
}

/// <summary>Counter sums for one bucket and group; read a counter by its column name.</summary>
internal sealed record BucketRow(CounterTable Table, long Bucket, object?[] Dimensions, long[] Values)
{
    public long this[string counter] => Values[Table.IndexOf(counter)];
}

/// <summary>A stored sketch for one day (or week) and group; merged where it is needed, never built on its own.</summary>
internal sealed record SketchRow(long Bucket, object?[] Dimensions, byte[] Bins);
