using System.Text.Json;
using Xunit;

namespace Playbooks.Metrics.Tests;

/// <summary>Reading a KPI report: find a group by its key, a bucket by its day, a figure by name.</summary>
internal static class Figures
{
    public static JsonElement Group(this JsonElement report, params (string Name, object? Value)[] key) =>
        report.GetProperty("groups").EnumerateArray().Single(g => key.All(k => Matches(g.GetProperty("key"), k.Name, k.Value)));

    public static JsonElement Total(this JsonElement group) => group.GetProperty("total");

    public static JsonElement Bucket(this JsonElement group, string start) =>
        group.GetProperty("buckets").EnumerateArray().Single(b => b.GetProperty("start").GetString() == start).GetProperty("figures");

    public static long Long(this JsonElement figures, string name) => figures.GetProperty(name).GetInt64();

    public static double? Double(this JsonElement figures, string name) =>
        figures.GetProperty(name).ValueKind == JsonValueKind.Null ? null : figures.GetProperty(name).GetDouble();

    /// <summary>Quantiles come from a sketch accurate to 1 % of the true sample (docs/metrics.md), so they are compared within 1 %.</summary>
    public static void WithinOnePercent(TimeSpan expected, long? actualMs) =>
        Assert.InRange(actualMs ?? -1, expected.TotalMilliseconds * 0.99, expected.TotalMilliseconds * 1.01);

    private static bool Matches(JsonElement key, string name, object? value) =>
        key.TryGetProperty(name, out var actual) && value switch
        {
            null => actual.ValueKind == JsonValueKind.Null,
            int number => actual.ValueKind == JsonValueKind.Number && actual.GetInt64() == number,
            _ => actual.ValueKind == JsonValueKind.String && actual.GetString() == value.ToString(),
        };
}
