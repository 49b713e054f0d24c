using System.Globalization;
using System.Text;

namespace Playbooks.Bench;

/// <summary>Writes the figures to docs/benchmarks.md, one section per benchmark, replacing that section's previous run.</summary>
internal static class BenchmarkReport
{
    public static string Render(IBenchmark benchmark, IReadOnlyList<Measurement> measurements, TimeSpan took)
    {
        var text = new StringBuilder();
        text.AppendLine($"<!-- bench:{benchmark.Name} -->");
        text.AppendLine($"## {benchmark.Title}");
        text.AppendLine();
        text.AppendLine($"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Machine()}, {took.TotalSeconds:F0} s. Command: `./playbooks bench {benchmark.Name}`.");
        text.AppendLine();
        text.AppendLine("| what | measured | goal | met | note |");
        text.AppendLine("| --- | ---: | --- | --- | --- |");
        foreach (var m in measurements)
        {
            var met = m.Met switch { true => "yes", false => "**no**", null => "" };
            text.AppendLine($"| {m.What} | {m.Value.ToString("#,0.##", CultureInfo.InvariantCulture)} {m.Unit} | {m.Goal} | {met} | {m.Note} |");
        }
        text.AppendLine($"<!-- /bench:{benchmark.Name} -->");
        return text.ToString();
    }

    public static void Write(string file, string name, string section)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var existing = File.Exists(file) ? File.ReadAllText(file) : "# Benchmarks\n\nFigures written by `./playbooks bench`; each section is replaced when its benchmark runs again.\n\n";
        var start = existing.IndexOf($"<!-- bench:{name} -->", StringComparison.Ordinal);
        var endMarker = $"<!-- /bench:{name} -->";
        var end = existing.IndexOf(endMarker, StringComparison.Ordinal);
        var updated = start >= 0 && end > start
            ? existing[..start] + section.TrimEnd() + existing[(end + endMarker.Length)..]
            : existing.TrimEnd() + "\n\n" + section;
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, updated.TrimEnd() + "\n");
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), {memory:F0} GiB, .NET {Environment.Version}";
    }
}
