namespace Playbooks.Bench;

/// <summary>One area's benchmark: it measures and reports figures against the goals its issue set.</summary>
public interface IBenchmark
{
    /// <summary>Short name used to pick it on the command line, e.g. <c>engine</c>.</summary>
    string Name { get; }

    string Title { get; }

    Task<IReadOnlyList<Measurement>> RunAsync(CancellationToken cancellationToken);
}

/// <param name="Goal">The goal as the issue states it, e.g. "≥ 2,000/s".</param>
/// <param name="Met">Whether the measured value meets the goal; null when there is none.</param>
public sealed record Measurement(string What, double Value, string Unit, string? Goal = null, bool? Met = null, string? Note = null);
