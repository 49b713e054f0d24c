using System.Diagnostics;
using System.Reflection;
using Playbooks.Bench;

// The distributed benchmark's bare services (its event path's floor) are processes of this executable.
if (Environment.GetEnvironmentVariable(Playbooks.Bench.Distributed.EventPathFloor.RoleVariable) is { } floorRole)
    return await Playbooks.Bench.Distributed.EventPathFloor.ServeAsync(floorRole);

// ./playbooks bench [name ...]: runs the named benchmarks (all by default) and records them in docs/benchmarks.md.
var benchmarks = Assembly.GetExecutingAssembly().GetTypes()
    .Where(type => typeof(IBenchmark).IsAssignableFrom(type) && type is { IsAbstract: false, IsInterface: false })
    .Select(type => (IBenchmark)Activator.CreateInstance(type)!)
    .OrderBy(benchmark => benchmark.Name)
    .ToList();
var chosen = args.Length == 0 ? benchmarks : benchmarks.Where(b => args.Contains(b.Name)).ToList();
if (chosen.Count == 0)
{
    Console.Error.WriteLine($"No benchmark named {string.Join(", ", args)}. Choose from: {string.Join(", ", benchmarks.Select(b => b.Name))}.");
    return 2;
}

var report = Path.Combine(FindRepositoryRoot(), "docs", "benchmarks.md");
foreach (var benchmark in chosen)
{
    Console.WriteLine($"== {benchmark.Title}");
    var clock = Stopwatch.StartNew();
    var measurements = await benchmark.RunAsync(CancellationToken.None);
    var section = BenchmarkReport.Render(benchmark, measurements, clock.Elapsed);
    Console.WriteLine(section);
    BenchmarkReport.Write(report, benchmark.Name, section);
}
Console.WriteLine($"Results written to {report}");
return 0;

static string FindRepositoryRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Playbooks.sln"))) directory = directory.Parent;
    return directory?.FullName ?? Directory.GetCurrentDirectory();
}
