using Playbooks.Embedded;
using Playbooks.ServiceDefaults.Hosting;

// The embedded suite: gateway and all four services in one process, SQLite files, an in-process bus.
try
{
    await using var suite = await PlaybooksSuite.StartAsync(args);
    Console.WriteLine($"Playbooks is running at {suite.Address} (embedded, started in {suite.StartupTime.TotalSeconds:F2} s). Press Ctrl+C to stop.");
    await suite.Gateway.WaitForShutdownAsync();
}
catch (StartupFailure failure)
{
    Console.Error.WriteLine($"Playbooks could not start: {failure.Message}");
    return 2;
}
return 0;
