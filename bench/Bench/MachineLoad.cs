namespace Playbooks.Bench;

/// <summary>What the machine was doing while a benchmark ran, for its notes.</summary>
internal static class MachineLoad
{
    /// <param name="periods">1 for the last minute's load average; 3 for the 1-, 5- and 15-minute ones.</param>
    public static string LoadAverage(int periods = 1) =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(periods)) : "unknown";

    /// <summary>
    /// Waits until the machine's cores are busy less than <paramref name="share"/> of the time for two seconds running
    /// (at most <paramref name="limit"/>): the services have worked off what came before. How long it took, or null where
    /// /proc/stat is missing.
    /// </summary>
    public static async Task<TimeSpan?> QuietAsync(double share, TimeSpan limit, CancellationToken cancellationToken)
    {
        if (!File.Exists("/proc/stat")) return null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var quietSeconds = 0;
        var (busy, total) = CpuTicks();
        while (quietSeconds < 2 && clock.Elapsed < limit)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var (busyNow, totalNow) = CpuTicks();
            quietSeconds = (busyNow - busy) < share * (totalNow - total) ? quietSeconds + 1 : 0;
            (busy, total) = (busyNow, totalNow);
        }
        return clock.Elapsed;
    }

    /// <summary>
    /// How long the machine's cores have been busy since boot, less this process's own CPU time (the benchmark's sending
    /// and watching): what the services, PostgreSQL and Redis used. Null where /proc/stat is missing.
    /// </summary>
    public static TimeSpan? OthersBusy()
    {
        if (!File.Exists("/proc/stat")) return null;
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        // /proc/stat counts in USER_HZ ticks, 100 a second on Linux.
        return TimeSpan.FromSeconds(CpuTicks().Busy / 100.0) - self.TotalProcessorTime;
    }

    // The first line of /proc/stat: user nice system idle iowait irq softirq steal ..., in ticks since boot.
    private static (long Busy, long Total) CpuTicks()
    {
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        var idle = ticks[3] + ticks[4];
        return (ticks.Sum() - idle, ticks.Sum());
    }
}
