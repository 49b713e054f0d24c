namespace Playbooks.Tasks.Storage;

/// <summary>
/// Task times are stored as integer Unix milliseconds (UTC) in both providers: they compare and sort as numbers,
/// which is what the due-time index and the list's date filters need, and mean the same on SQLite and PostgreSQL.
/// </summary>
internal static class UnixTime
{
    public static long ToMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? ToMs(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? FromMs(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
}
