namespace Playbooks.Bench;

/// <summary>What the machine was doing while a benchmark ran, for its notes.</summary>
internal static class MachineLoad
{
    /// <param name="periods">1 for the last minute's load average; 3 for the 1-, 5- and 15-minute ones.</param>
    public static string LoadAverage(int periods = 1) =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(periods)) : "unknown";
}
