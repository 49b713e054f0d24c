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
        await using var connection = await reader.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT a.account_id AS AccountId, a.segment AS Segment, a.owner_csm AS OwnerCsm, a.team AS Team, a.renewal_at AS RenewalAt,
                r.started_at AS StartedAt, r.status AS Status, r.ended_at AS EndedAt
            FROM metric_accounts a LEFT JOIN metric_outreach_runs r ON r.account_id = a.account_id
            WHERE a.renewal_at >= @earliest AND a.renewal_at <= @latest
            """,
            new { earliest = request.FromDay, latest = request.ToDay + WindowDays * UnixDay.Milliseconds }, cancellationToken: cancellationToken));

        var points = AsOfPoints(request);
        var groups = new KpiAccumulator<RenewalTally>(request);
        foreach (var account in rows.GroupBy(r => r.AccountId))
        {
            var first = account.First();
            object?[] dimensions = [.. columns.Select(c => (object?)first.Dimension(c))];
            var runs = account.Where(r => r.StartedAt is not null).ToList();
            if (CoveredAsOf(request.ToDay, first.RenewalAt, runs) is { } coveredNow)
                groups.AddToTotal(dimensions, (request.To, coveredNow), static (t, c) => t.Count(c.Item1, c.Item2));
            foreach (var (bucket, asOf) in points)
                if (CoveredAsOf(asOf, first.RenewalAt, runs) is { } covered)
                    groups.AddToBucket(dimensions, bucket, (UnixDay.ToDate(asOf), covered), static (t, c) => t.Count(c.Item1, c.Item2));
        }
        return groups.ToGroups(t => new RenewalFigures(t.AsOf ?? request.To, t.Renewing, t.Covered, Tally.Rate(t.Covered, t.Renewing)));
    }

    /// <summary>Null when the account does not renew within the window of <paramref name="asOfDay"/>; else whether an outreach run covers it.</summary>
    private static bool? CoveredAsOf(long asOfDay, long renewalAt, List<Row> runs)
    {
        if (renewalAt < asOfDay || renewalAt > asOfDay + WindowDays * UnixDay.Milliseconds) return null;
        var endOfDay = asOfDay + UnixDay.Milliseconds - 1;
        return runs.Any(run => run.StartedAt <= endOfDay && run.StartedAt >= renewalAt - CycleDays * UnixDay.Milliseconds
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

    private sealed class Row
    {
        public string AccountId { get; set; } = "";
        public string Segment { get; set; } = "";
        public string OwnerCsm { get; set; } = "";
        public string Team { get; set; } = "";
        public long RenewalAt { get; set; }
        public long? StartedAt { get; set; }
        public string? Status { get; set; }
        public long? EndedAt { get; set; }

        public string Dimension(string column) => column switch
        {
            "segment" => Segment,
            "owner_csm" => OwnerCsm,
            _ => Team,
        };
    }
}

internal sealed record RenewalFigures(DateOnly AsOf, long Renewing, long Covered, double? Coverage);
