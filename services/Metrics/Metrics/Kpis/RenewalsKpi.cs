using Dapper;
using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Kpis;

/// <summary>
/// Renewal outreach coverage as of a day D: of the accounts whose renewal date is D to D + 90 days, the share with a
/// run of the outreach playbook under way or done by the end of D. The total is as of <c>to</c>; each bucket as of its
/// last day (at most <c>to</c>). Accounts are as their latest <c>account.changed</c> describes them; the outreach
/// playbook is <see cref="MetricsOptions.RenewalOutreachPlaybook"/>, whose runs the fold keeps in <c>metric_outreach_runs</c>.
/// </summary>
internal static class RenewalsKpi
{
    public const int WindowDays = 90;

    // A run started more than a year before the renewal belongs to the previous renewal.
    private const int CycleDays = 365;

    public static readonly KpiDefinition Definition = new("renewals",
        "Outreach coverage: accounts renewing within 90 days of the as-of day that have a run of the renewal outreach playbook active or done, ÷ accounts renewing.",
        new Dictionary<string, string> { ["segment"] = "segment", ["csm"] = "owner_csm", ["team"] = "team" }, [], ReadAsync);

    private static async Task<IReadOnlyList<KpiGroup>> ReadAsync(KpiReader reader, KpiRequest request, CancellationToken cancellationToken)
    {
        var columns = Definition.ColumnsFor(request);
        var accounts = await RenewingAsync(reader, request, columns, cancellationToken);
        var points = AsOfPoints(request);
        var groups = new KpiAccumulator<RenewalTally>(request);
        foreach (var account in accounts)
        {
            if (CoveredAsOf(request.ToDay, account) is { } coveredNow)
                groups.AddToTotal(account.Dimensions, (request.To, coveredNow), static (t, c) => t.Count(c.Item1, c.Item2));
            foreach (var (bucket, asOf) in points)
                if (CoveredAsOf(asOf, account) is { } covered)
                    groups.AddToBucket(account.Dimensions, bucket, (UnixDay.ToDate(asOf), covered), static (t, c) => t.Count(c.Item1, c.Item2));
        }
        return groups.ToGroups(t => new RenewalFigures(t.AsOf ?? request.To, t.Renewing, t.Covered, Tally.Rate(t.Covered, t.Renewing)));
    }

    /// <summary>Accounts renewing in any as-of window of the range, with only the groupings asked for, and their outreach runs.</summary>
    private static async Task<IReadOnlyCollection<Account>> RenewingAsync(KpiReader reader, KpiRequest request, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        await using var connection = await reader.OpenAsync(cancellationToken);
        var sql = $"""
            SELECT a.account_id, a.renewal_at, r.started_at, r.status, r.ended_at{string.Concat(columns.Select(c => $", a.{c}"))}
            FROM metric_accounts a LEFT JOIN metric_outreach_runs r ON r.account_id = a.account_id
            WHERE a.renewal_at >= @earliest AND a.renewal_at <= @latest
            """;
        var accounts = new Dictionary<string, Account>(StringComparer.Ordinal);
        await using var rows = await connection.ExecuteReaderAsync(new CommandDefinition(sql,
            new { earliest = request.FromDay, latest = request.ToDay + WindowDays * UnixDay.Milliseconds }, cancellationToken: cancellationToken));
        while (await rows.ReadAsync(cancellationToken))
        {
            var id = rows.GetString(0);
            if (!accounts.TryGetValue(id, out var account))
                accounts[id] = account = new Account(rows.GetInt64(1), [.. Enumerable.Range(5, columns.Count).Select(i => (object?)rows.GetString(i))]);
            if (!rows.IsDBNull(2))
                account.Runs.Add(new OutreachRun(rows.GetInt64(2), rows.GetString(3), rows.IsDBNull(4) ? null : rows.GetInt64(4)));
        }
        return accounts.Values;
    }

    /// <summary>Null when the account does not renew within the window of <paramref name="asOfDay"/>; else whether an outreach run covers it.</summary>
    private static bool? CoveredAsOf(long asOfDay, Account account)
    {
        if (account.RenewalAt < asOfDay || account.RenewalAt > asOfDay + WindowDays * UnixDay.Milliseconds) return null;
        var endOfDay = asOfDay + UnixDay.Milliseconds - 1;
        return account.Runs.Exists(run => run.StartedAt <= endOfDay && run.StartedAt >= account.RenewalAt - CycleDays * UnixDay.Milliseconds
            && !(run.Status == "cancelled" && run.EndedAt <= endOfDay));
    }

    /// <summary>Each bucket and the day its coverage is taken on: its last day, but never after <c>to</c>.</summary>
    private static List<(long Bucket, long AsOf)> AsOfPoints(KpiRequest request)
    {
        var points = new List<(long, long)>();
        if (request.Bucket == BucketSize.None) return points;
        var step = request.Bucket == BucketSize.Week ? 7 * UnixDay.Milliseconds : UnixDay.Milliseconds;
        var start = request.Bucket == BucketSize.Week ? UnixDay.WeekOf(request.FromDay) : request.FromDay;
        for (var bucket = start; bucket <= request.ToDay; bucket += step)
            points.Add((bucket, Math.Min(bucket + step - UnixDay.Milliseconds, request.ToDay)));
        return points;
    }

    private sealed class RenewalTally
    {
        public DateOnly? AsOf { get; private set; }
        public long Renewing { get; private set; }
        public long Covered { get; private set; }

        public void Count(DateOnly asOf, bool covered)
        {
            AsOf = asOf;
            Renewing++;
            if (covered) Covered++;
        }
    }

    private sealed record Account(long RenewalAt, object?[] Dimensions)
    {
        public List<OutreachRun> Runs { get; } = [];
    }

    private sealed record OutreachRun(long StartedAt, string Status, long? EndedAt);
}

internal sealed record RenewalFigures(DateOnly AsOf, long Renewing, long Covered, double? Coverage);
