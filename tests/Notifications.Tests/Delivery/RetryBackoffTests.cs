using Playbooks.Notifications.Delivery;
using Xunit;

namespace Playbooks.Notifications.Tests.Delivery;

public sealed class RetryBackoffTests
{
    private static readonly DeliveryOptions Options = new() { BaseDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromMinutes(10) };

    [Theory]
    [InlineData(1, 15, 30)]
    [InlineData(2, 30, 60)]
    [InlineData(3, 60, 120)]
    [InlineData(6, 300, 600)]   // 30 s × 2^5 = 960 s, capped at 600 s
    [InlineData(40, 300, 600)]
    public void Delay_doubles_with_jitter_between_half_and_all_of_it(int failedAttempts, double atLeastSeconds, double atMostSeconds)
    {
        var random = new Random(7);
        var delays = Enumerable.Range(0, 200).Select(_ => RetryBackoff.Delay(failedAttempts, Options, retryAfter: null, random).TotalSeconds).ToList();

        Assert.All(delays, delay => Assert.InRange(delay, atLeastSeconds, atMostSeconds));
        Assert.True(delays.Distinct().Count() > 100, "the delays should be spread, not identical");
    }

    [Fact]
    public void A_longer_retry_after_from_the_endpoint_is_honoured()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), RetryBackoff.Delay(1, Options, TimeSpan.FromMinutes(5), new Random(1)));
        Assert.True(RetryBackoff.Delay(3, Options, TimeSpan.FromSeconds(1), new Random(1)) >= TimeSpan.FromSeconds(60));
    }
}
