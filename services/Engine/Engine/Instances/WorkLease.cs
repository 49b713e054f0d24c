using Microsoft.Extensions.Configuration;

namespace Playbooks.Engine.Instances;

/// <summary>
/// How long a replica owns the work rows it claimed (due timers, account events, date and schedule triggers) before
/// another replica may take them over: long enough for a batch to finish, short enough that a dead replica's claims
/// return soon. Leases are wall-clock time, not the engine's (possibly virtual) clock: they are about processes.
/// Setting: <c>Engine:ClaimLeaseSeconds</c> (default 30).
/// </summary>
public sealed class WorkLease(IConfiguration configuration)
{
    public TimeSpan Duration { get; } = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Engine:ClaimLeaseSeconds", 30)));

    /// <summary>Unix ms until which a claim taken now holds.</summary>
    public long Until() => DateTimeOffset.UtcNow.Add(Duration).ToUnixTimeMilliseconds();

    /// <summary>Unix ms now, on the wall clock: claims that ended before it have lapsed.</summary>
    public static long WallNow() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
