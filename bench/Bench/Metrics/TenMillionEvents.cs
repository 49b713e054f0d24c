namespace Playbooks.Bench.Metrics;

/// <summary>
/// The year of suite activity the query benchmark stands for: 10,000,000 events, by type. The seeder writes the
/// buckets, run and account rows that folding exactly these events would leave (same totals, same rows per day and
/// dimension), which is all a KPI query reads.
/// </summary>
internal static class TenMillionEvents
{
    public const int Days = 365;
    public const int PlaybookCount = 40;
    public const int Versions = 3;
    public const int Csms = 200;
    public const int Teams = 10;
    public const int Accounts = 20_000;
    public const int Runs = 1_000_000;
    public const int PlaybooksWithVariants = 10;
    /// <summary>Playbook 0 is the renewal outreach playbook the service watches by default; the others are numbered.</summary>
    public static string PlaybookName(int index) => index == 0 ? "renewal-outreach" : $"playbook-{index}";

    public static readonly string[] Segments = ["enterprise", "mid-market", "smb", "startup"];
    public static readonly string[] Channels = ["email", "chat", "in-app"];
    public static readonly string[] Severities = ["SEV-1", "SEV-2", "SEV-3", "SEV-4"];

    /// <summary>The first of the 365 days; the last is the day before <see cref="MetricsBenchmark.Today"/>.</summary>
    public static readonly DateOnly FirstDay = MetricsBenchmark.Today.AddDays(-Days);

    public const long Started = Runs, Completed = 600_000, Exited = 200_000, Cancelled = 100_000, Faulted = 100_000;
    public const long ActivitiesReached = 5_000_000, GoalsReached = 250_000;
    public const long TasksCreated = 1_000_000, TasksCompleted = 800_000, TasksOverdue = 100_000, TasksCancelled = 50_000;
    public const long NotificationsSent = 700_000, NotificationsFailed = 50_000;
    public const long IncidentsOpened = Days * 4, AccountChanges = Accounts;

    /// <summary>Account events no KPI reads (usage.dropped, renewal.signed…): stored, folded into nothing.</summary>
    public const long OtherAccountEvents = 10_000_000 - (Started + Completed + Exited + Cancelled + Faulted + ActivitiesReached + GoalsReached
        + TasksCreated + TasksCompleted + TasksOverdue + TasksCancelled + NotificationsSent + NotificationsFailed + IncidentsOpened + AccountChanges);

    public const long Total = Started + Completed + Exited + Cancelled + Faulted + ActivitiesReached + GoalsReached + TasksCreated + TasksCompleted
        + TasksOverdue + TasksCancelled + NotificationsSent + NotificationsFailed + IncidentsOpened + AccountChanges + OtherAccountEvents;

    /// <summary>Share of runs reaching each of a playbook's eight activities (sums to 5 per run), and of leavers stopping at each.</summary>
    public static readonly double[] Reached = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.3, 0.2];
    public static readonly double[] Dropped = [0, 0.1, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1];

    /// <summary>Part <paramref name="index"/> of <paramref name="total"/> split as evenly as integers allow over <paramref name="parts"/>.</summary>
    public static long Share(long total, long parts, long index) => total / parts + (index < total % parts ? 1 : 0);
}
