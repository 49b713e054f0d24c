namespace Playbooks.Notifications.Delivery;

/// <summary>
/// Hours in the recipient's time zone when customer-facing email waits: section <c>Notifications:QuietHours</c>.
/// Deferred, never dropped; urgent templates (incident notices) and messages to the CS team are not held.
/// </summary>
public sealed class QuietHoursOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Local time the quiet window starts, e.g. <c>21:00</c>.</summary>
    public TimeOnly Start { get; set; } = new(21, 0);

    /// <summary>Local time it ends, e.g. <c>08:00</c>; earlier than <see cref="Start"/> means it spans midnight.</summary>
    public TimeOnly End { get; set; } = new(8, 0);

    /// <summary>IANA time zone for accounts without one (or with one this machine does not know).</summary>
    public string DefaultTimeZone { get; set; } = "UTC";
}
