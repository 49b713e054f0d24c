namespace Playbooks.Metrics.Folding;

/// <summary>The configured rules the fold applies, read once from <see cref="MetricsOptions"/>.</summary>
internal sealed record FoldRules(IReadOnlySet<string> CustomerChannels, IReadOnlyDictionary<string, TimeSpan> UpdateCadence, string RenewalOutreachPlaybook)
{
    public static FoldRules From(MetricsOptions options) => new(options.CustomerChannelSet, options.UpdateCadence, options.RenewalOutreachPlaybook);
}
