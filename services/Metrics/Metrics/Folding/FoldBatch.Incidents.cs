using Playbooks.Messaging.Contracts;
using Playbooks.Metrics.Folding.State;
using Playbooks.Metrics.Storage;

namespace Playbooks.Metrics.Folding;

/// <summary>Incidents: time to the first customer notice, and whether later notices kept the severity's cadence.</summary>
internal sealed partial class FoldBatch
{
    private void OnIncident(FoldEvent e, IncidentSignal signal)
    {
        if (!signal.Opens)
        {
            foreach (var open in Incidents.Values.Where(i => i.ResolvedAt is null && i.OpenedAt <= e.At && signal.AccountIds.Contains(i.AccountId)
                         && (signal.IncidentId is null || i.IncidentId == signal.IncidentId)))
            {
                open.ResolvedAt = e.At;
                open.Dirty = true;
            }
            return;
        }
        foreach (var accountId in signal.AccountIds)
        {
            if (Incidents.ContainsKey((signal.IncidentId!, accountId))) continue;
            Incidents[(signal.IncidentId!, accountId)] = new IncidentState
            {
                IncidentId = signal.IncidentId!, AccountId = accountId, Severity = signal.Severity, OpenedAt = e.At, Dirty = true,
            };
            Deltas.Count(BucketTables.Incidents, UnixDay.Of(e.At), [signal.Severity], "opened");
        }
    }

    /// <summary>
    /// A notice counts for each incident open on its account when the run that sent it had started at or after the
    /// incident opened: a run started earlier (a renewal email already under way) is not a response to the incident.
    /// </summary>
    private void OnCustomerNotice(FoldEvent e, NotificationDelivered delivery)
    {
        if (!Runs.TryGetValue(delivery.InstanceId, out var run)) return;
        var accountId = delivery.AccountId ?? e.Envelope.AccountId;
        var incidents = Incidents.Values
            .Where(i => i.AccountId == accountId && i.ResolvedAt is null && i.OpenedAt <= run.StartedAt)
            .OrderBy(i => i.OpenedAt).ThenBy(i => i.IncidentId, StringComparer.Ordinal);
        foreach (var incident in incidents)
        {
            var notice = new IncidentNotice(incident.IncidentId, incident.AccountId, delivery.InstanceId, delivery.ActivityId ?? "");
            if (!Notices.Add(notice)) continue;
            NewNotices.Add(notice);
            var day = UnixDay.Of(incident.OpenedAt);
            object[] severity = [incident.Severity];
            if (incident.FirstNoticeAt is null)
            {
                incident.FirstNoticeAt = e.At;
                Deltas.Count(BucketTables.Incidents, day, severity, "noticed");
                Deltas.Sample(BucketTables.FirstNotice, day, severity, e.At - incident.OpenedAt);
            }
            else
            {
                Deltas.Count(BucketTables.Incidents, day, severity, "updates");
                if (rules.UpdateCadence.TryGetValue(incident.Severity, out var cadence))
                {
                    Deltas.Count(BucketTables.Incidents, day, severity, "timed_updates");
                    if (e.At - incident.LastNoticeAt <= (long)cadence.TotalMilliseconds) Deltas.Count(BucketTables.Incidents, day, severity, "on_cadence");
                }
            }
            incident.LastNoticeAt = Math.Max(incident.LastNoticeAt ?? e.At, e.At);
            incident.Dirty = true;
        }
    }
}
