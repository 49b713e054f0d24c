namespace Playbooks.Engine.Activities;

/// <summary>What the catalogue says about an activity type: it drives the palette, the property panel and validation.</summary>
/// <param name="Outcomes">The outcome ports; activities whose ports depend on their inputs describe the fixed ones here.</param>
/// <param name="DynamicOutcomes">How the other ports are derived, for the designer (e.g. "one per allowed task outcome").</param>
/// <param name="CanWait">Whether the activity may suspend the run: a loop needs one of these.</param>
public sealed record ActivityDescriptor(
    string Type,
    string Category,
    string DisplayName,
    string Description,
    IReadOnlyList<InputDescriptor> Inputs,
    IReadOnlyList<string> Outcomes,
    bool CanWait = false,
    string? DynamicOutcomes = null);
