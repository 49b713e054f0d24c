using Playbooks.Messaging.Contracts;
using Xunit;
using static Playbooks.Metrics.Tests.Events;

namespace Playbooks.Metrics.Tests;

[Collection(MetricsCollection.Name)]
public sealed class IncidentKpiTests(MetricsSuite suite)
{
    [Fact]
    public async Task First_notice_minutes_and_update_cadence_follow_the_runs_started_after_each_incident_opened()
    {
        var (a, b, c) = (Unique("acct-a"), Unique("acct-b"), Unique("acct-c"));
        var (renewal, response) = (Unique("renewal-run"), Unique("response-run"));
        DateTimeOffset T(int hour, int minute, int second = 0) => At(2026, 10, 15, hour, minute, second);

        await suite.PublishAsync(
            Started(renewal, "renewal-outreach", 1, a, T(9, 50)),
            AccountEvent("incident.opened", a, new { id = Unique("inc"), severity = "SEV-1", title = "API down" }, T(10, 0)),
            // From a run that started before the incident: not a response to it.
            Delivery(EventTypes.NotificationSent, renewal, "email", a, "email", T(10, 5)),
            Started(response, "incident-response", 1, a, T(10, 2)),
            // Chat reaches the CS team, not the customer.
            Delivery(EventTypes.NotificationSent, response, "team-alert", a, "chat", T(10, 6)),
            // One notice to two contacts.
            Delivery(EventTypes.NotificationSent, response, "first-notice", a, "email", T(10, 12), "ann@acme.example"),
            Delivery(EventTypes.NotificationSent, response, "first-notice", a, "email", T(10, 12, 30), "bob@acme.example"),
            Delivery(EventTypes.NotificationSent, response, "update-1", a, "email", T(10, 40)),
            Delivery(EventTypes.NotificationSent, response, "update-2", a, "email", T(11, 20)),
            Delivery(EventTypes.NotificationSent, response, "update-3", a, "email", T(11, 45)),
            AccountEvent("incident.resolved", a, new { }, T(12, 0)),
            Delivery(EventTypes.NotificationSent, response, "resolved", a, "email", T(12, 10)));

        // A SEV-2 affecting two accounts, named in data.accountIds as a status page sends it.
        var (runB, runC) = (Unique("response-b"), Unique("response-c"));
        await suite.PublishAsync(
            AccountEvent("incident.opened", null, new { incidentId = Unique("inc"), severity = "sev2", accountIds = new[] { b, c } }, T(13, 0)),
            Started(runB, "incident-response", 1, b, T(13, 1)),
            Started(runC, "incident-response", 1, c, T(13, 5)),
            Delivery(EventTypes.NotificationSent, runB, "first-notice", b, "email", T(13, 30)),
            Delivery(EventTypes.NotificationSent, runC, "first-notice", c, "email", T(13, 50)),
            Delivery(EventTypes.NotificationSent, runB, "update-1", b, "email", T(14, 24)),
            Delivery(EventTypes.NotificationSent, runC, "update-1", c, "email", T(15, 0)));

        var report = await suite.KpiAsync("incidents", "from=2026-10-15&to=2026-10-15&groupBy=severity");

        // SEV-1: first notice 10:12 − 10:00 = 12 min. Updates after 28 min (on), 40 min (late), 25 min (on): 2 of 3 within 30 min.
        var sev1 = report.Group(("severity", "SEV-1")).Total();
        Assert.Equal((1, 1), (sev1.Long("opened"), sev1.Long("noticed")));
        Assert.InRange(sev1.Double("firstNoticeMedianMinutes")!.Value, 12 * 0.99, 12 * 1.01);
        Assert.Equal((3, 3, 2, 0.6667), (sev1.Long("updates"), sev1.Long("timedUpdates"), sev1.Long("onCadence"), sev1.Double("cadenceAdherence")));

        // SEV-2, per account: first notices after 30 and 50 min (median 30, p90 50); updates after 54 min (on) and 70 min (late) against 60.
        var sev2 = report.Group(("severity", "SEV-2")).Total();
        Assert.Equal((2, 2), (sev2.Long("opened"), sev2.Long("noticed")));
        Assert.InRange(sev2.Double("firstNoticeMedianMinutes")!.Value, 30 * 0.99, 30 * 1.01);
        Assert.InRange(sev2.Double("firstNoticeP90Minutes")!.Value, 50 * 0.99, 50 * 1.01);
        Assert.Equal((2, 2, 1, 0.5), (sev2.Long("updates"), sev2.Long("timedUpdates"), sev2.Long("onCadence"), sev2.Double("cadenceAdherence")));

        // Both together: first notices 12, 30, 50 min → median 30, p90 50; 3 of 5 updates on cadence.
        var all = (await suite.KpiAsync("incidents", "from=2026-10-15&to=2026-10-15&groupBy=")).Group().Total();
        Assert.InRange(all.Double("firstNoticeMedianMinutes")!.Value, 30 * 0.99, 30 * 1.01);
        Assert.InRange(all.Double("firstNoticeP90Minutes")!.Value, 50 * 0.99, 50 * 1.01);
        Assert.Equal((5, 3, 0.6), (all.Long("timedUpdates"), all.Long("onCadence"), all.Double("cadenceAdherence")));
    }
}
