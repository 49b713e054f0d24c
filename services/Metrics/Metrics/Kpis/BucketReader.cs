using System.Data.Common;
using Dapper;
using Playbooks.Metrics.Sketches;
using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>
/// Reads bucket rows for a request, summed per bucket and group in SQL (counters) or as stored (sketches, merged by the caller).
/// Only the days in range are read, through each table's primary key, which starts with the day.
/// </summary>
internal static class BucketReader
{
    public static async Task<IReadOnlyList<BucketRow>> CountersAsync(DbConnection connection, CounterTable table, KpiRequest request,
        IReadOnlyList<string> groupColumns, CancellationToken cancellationToken)
    {
        var bucket = BucketColumn(request.Bucket);
        var grouping = request.Bucket == BucketSize.None ? groupColumns : [bucket, .. groupColumns];
        var sums = table.Values.Select(v => $"COALESCE(CAST(SUM({v}) AS BIGINT), 0)");
        var sql = $"SELECT {string.Join(", ", [bucket, .. groupColumns, .. sums])} FROM {table.Name} WHERE {Where(table.Name, request)}"
            + (grouping.Count > 0 ? $" GROUP BY {string.Join(", ", grouping)}" : "");
        var rows = new List<BucketRow>();
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, Parameters(request), cancellationToken: cancellationToken));
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new long[table.Values.Count];
            for (var i = 0; i < values.Length; i++) values[i] = reader.GetInt64(1 + groupColumns.Count + i);
            rows.Add(new BucketRow(table, reader.GetInt64(0), Dimensions(reader, groupColumns.Count), values));
        }
        return rows;
    }

    public static async Task<IReadOnlyList<SketchRow>> SketchesAsync(DbConnection connection, SketchTable table, KpiRequest request,
        IReadOnlyList<string> groupColumns, CancellationToken cancellationToken)
    {
        var sql = $"SELECT {string.Join(", ", [BucketColumn(request.Bucket), .. groupColumns, "bins"])} FROM {table.Name} WHERE {Where(table.Name, request)}";
        var rows = new List<SketchRow>();
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, Parameters(request), cancellationToken: cancellationToken));
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new SketchRow(reader.GetInt64(0), Dimensions(reader, groupColumns.Count), DurationSketch.FromBytes((byte[])reader.GetValue(1 + groupColumns.Count))));
        return rows;
    }

    private static string BucketColumn(BucketSize bucket) => bucket switch
    {
        BucketSize.Day => "day",
        BucketSize.Week => UnixDay.WeekOfDaySql,
        _ => "CAST(0 AS BIGINT)",
    };

    private static string Where(string table, KpiRequest request) =>
        "day >= @from AND day <= @to" + (request.Playbook is not null && Filterable.Contains(table) ? " AND definition_id = @playbook" : "");

    private static readonly HashSet<string> Filterable =
        [BucketTables.Runs.Name, BucketTables.Steps.Name, BucketTables.Variants.Name, BucketTables.RunDurations.Name];

    private static object Parameters(KpiRequest request) => new { from = request.FromDay, to = request.ToDay, playbook = request.Playbook };

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

internal sealed record SketchRow(long Bucket, object?[] Dimensions, DurationSketch Sketch);
