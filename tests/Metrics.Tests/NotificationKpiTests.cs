using Playbooks.Messaging.Contracts;
using Xunit;
using static Playbooks.Metrics.Tests.Events;

namespace Playbooks.Metrics.Tests;

[Collection(MetricsCollection.Name)]
public sealed class NotificationKpiTests(MetricsSuite suite)
{
    [Fact]
    public async Task Delivery_success_rate_is_sent_over_sent_and_failed_per_channel()
    {
        var run = Unique("run");
        var at = At(2026, 10, 20, 10);
        await suite.PublishAsync(
            Delivery(EventTypes.NotificationSent, run, "a", "acct-n", "email", at),
            Delivery(EventTypes.NotificationSent, run, "b", "acct-n", "email", at),
            Delivery(EventTypes.NotificationSent, run, "c", "acct-n", "email", at),
            Delivery(EventTypes.NotificationFailed, run, "d", "acct-n", "email", at),
            Delivery(EventTypes.NotificationSent, run, "e", "acct-n", "chat", at),
            Delivery(EventTypes.NotificationFailed, run, "f", "acct-n", "chat", at),
            Delivery(EventTypes.NotificationSent, run, "g", "acct-n", "in-app", at),
            Delivery(EventTypes.NotificationSent, run, "h", "acct-n", "in-app", at));

        var report = await suite.KpiAsync("notifications", "from=2026-10-20&to=2026-10-20");

        // email 3 ÷ 4, chat 1 ÷ 2, in-app 2 ÷ 2.
        Assert.Equal((3, 1, 0.75), Of(report, "email"));
        Assert.Equal((1, 1, 0.5), Of(report, "chat"));
        Assert.Equal((2, 0, 1.0), Of(report, "in-app"));
        var all = (await suite.KpiAsync("notifications", "from=2026-10-20&to=2026-10-20&groupBy=")).Group().Total();
        Assert.Equal(0.75, all.Double("successRate"));
    }

    private static (long, long, double?) Of(System.Text.Json.JsonElement report, string channel)
    {
        var figures = report.Group(("channel", channel)).Total();
        return (figures.Long("sent"), figures.Long("failed"), figures.Double("successRate"));
    }
}
