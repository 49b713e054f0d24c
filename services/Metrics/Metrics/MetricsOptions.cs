using Microsoft.Extensions.Configuration;

namespace Playbooks.Metrics;

/// <summary>The <c>Metrics</c> configuration section: what the KPIs need to know about the shipped playbooks and channels.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>
    /// The definition id of the renewal outreach playbook, whose runs count towards renewal coverage. The fold keeps
    /// these runs aside as they arrive, so after changing it, rebuild (POST /api/metrics/rebuild) to re-read past runs.
    /// </summary>
    public string RenewalOutreachPlaybook { get; set; } = "renewal-outreach";

    /// <summary>Channels that reach customers (incident notices); chat and in-app reach the CS team. Default: email.</summary>
    public string[]? CustomerChannels { get; set; }

    /// <summary>Longest gap between incident updates, in minutes, per severity. Default: SEV-1 30, SEV-2 60.</summary>
    public Dictionary<string, int>? UpdateCadenceMinutes { get; set; }

    // Lists and dictionaries are defaulted after binding: the binder would add configured entries to pre-filled defaults.
    public IReadOnlySet<string> CustomerChannelSet =>
        (CustomerChannels is { Length: > 0 } channels ? channels : ["email"]).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, TimeSpan> UpdateCadence =>
        (UpdateCadenceMinutes is { Count: > 0 } configured ? configured : new Dictionary<string, int> { ["SEV-1"] = 30, ["SEV-2"] = 60 })
        .ToDictionary(entry => entry.Key.ToUpperInvariant(), entry => TimeSpan.FromMinutes(entry.Value));

    public static MetricsOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<MetricsOptions>() ?? new MetricsOptions();
}
