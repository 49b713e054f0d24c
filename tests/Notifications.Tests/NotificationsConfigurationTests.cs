using Microsoft.Extensions.Configuration;
using Playbooks.ServiceDefaults.Hosting;
using Xunit;

namespace Playbooks.Notifications.Tests;

public sealed class NotificationsConfigurationTests
{
    [Theory]
    [InlineData("Notifications:Smtp:From", "not an address", "Notifications:Smtp:From 'not an address' is not an email address")]
    [InlineData("Notifications:Chat:WebhookUrl", "hooks.example/team", "is not an absolute http(s) URL")]
    [InlineData("Notifications:QuietHours:DefaultTimeZone", "Mars/Olympus_Mons", "is not a known time zone")]
    [InlineData("Notifications:Delivery:MaxAttempts", "0", "MaxAttempts must be at least 1")]
    [InlineData("Notifications:Delivery:BaseDelay", "soon", "Notifications:Delivery has a value of the wrong type")]
    public void A_setting_that_cannot_work_stops_start_up_naming_it(string key, string value, string expected)
    {
        var failure = Assert.Throws<StartupFailure>(() => Read(new() { [key] = value }));

        Assert.Contains(expected, failure.Message);
    }

    [Fact]
    public void A_lease_shorter_than_a_rounds_longest_send_stops_start_up_and_the_defaults_pass()
    {
        // 32 sends over 2 connections of up to 30 s each: a round can take 8 minutes, past a 5-minute lease.
        var failure = Assert.Throws<StartupFailure>(() => Read(new() { ["Notifications:Delivery:Concurrency"] = "32", ["Notifications:Smtp:MaxConnections"] = "2" }));
        Assert.Contains("round's longest, 480 s", failure.Message);

        Assert.Equal(TimeSpan.FromMinutes(5), Read(new()).Delivery.Lease);
        Assert.Equal(32, Read(new() { ["Notifications:Delivery:Concurrency"] = "32", ["Notifications:Smtp:MaxConnections"] = "2", ["Notifications:Delivery:Lease"] = "00:20:00" }).Delivery.Concurrency);
    }

    [Fact]
    public void Credentials_are_not_sent_in_clear_text_across_the_network()
    {
        var failure = Assert.Throws<StartupFailure>(() => Read(new()
        {
            ["Notifications:Smtp:Host"] = "smtp.example.com", ["Notifications:Smtp:UserName"] = "cs", ["Notifications:Smtp:Password"] = "secret",
        }));
        Assert.Contains("Security to StartTls or Tls", failure.Message);

        var loopback = Read(new() { ["Notifications:Smtp:Host"] = "127.0.0.1", ["Notifications:Smtp:UserName"] = "cs", ["Notifications:Smtp:Password"] = "secret" });
        Assert.Equal("cs", loopback.Smtp.UserName);
    }

    [Fact]
    public void Times_of_day_and_durations_are_read_from_their_usual_text_forms()
    {
        var settings = Read(new() { ["Notifications:QuietHours:Start"] = "22:30", ["Notifications:RateLimit:Window"] = "00:30:00" });

        Assert.Equal(new TimeOnly(22, 30), settings.QuietHours.Start);
        Assert.Equal(TimeSpan.FromMinutes(30), settings.RateLimit.Window);
    }

    private static NotificationsConfiguration Read(Dictionary<string, string?> values) =>
        NotificationsConfiguration.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
}
