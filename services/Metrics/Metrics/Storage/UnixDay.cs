namespace Playbooks.Metrics.Storage;

/// <summary>
/// Buckets are UTC days stored as the Unix milliseconds of their midnight, so they compare as numbers and mean the same
/// on SQLite and PostgreSQL; weeks start on Monday.
/// </summary>
internal static class UnixDay
{
    public const long Milliseconds = 86_400_000;

    /// <summary>The Monday that starts the week of the <c>day</c> column, in SQL both providers evaluate alike (1970-01-01 was a Thursday).</summary>
    public const string WeekOfDaySql = "(day - (((day / 86400000) + 3) % 7) * 86400000)";

    public static long Of(long unixMs) => unixMs - ((unixMs % Milliseconds) + Milliseconds) % Milliseconds;

    public static long Of(DateOnly date) => (long)(date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber) * Milliseconds;

    public static DateOnly ToDate(long day) => DateOnly.FromDateTime(DateTime.UnixEpoch).AddDays((int)(Of(day) / Milliseconds));

    public static long WeekOf(long day) => Of(day) - (((Of(day) / Milliseconds) + 3) % 7) * Milliseconds;
}
