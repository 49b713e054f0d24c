using Playbooks.TestSupport;
using Playbooks.TestSupport.Smtp;
using Xunit;

namespace Playbooks.Notifications.Tests.Support;

/// <summary>
/// The Notifications service alone, on a clock the test moves, sending to a real SMTP server on loopback.
/// Subclasses add the settings their behaviour needs (e.g. a rate limit).
/// </summary>
public abstract class ClockedDeliveryTest(DateTimeOffset start) : IAsyncLifetime
{
    protected ManualTimeProvider Clock { get; } = new(start);
    protected SmtpSink Smtp { get; private set; } = null!;
    protected NotificationsHost Host { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        Smtp = await SmtpSink.StartAsync();
        var settings = new Dictionary<string, string?>(ExtraSettings)
        {
            ["Notifications:Smtp:Host"] = Smtp.Host,
            ["Notifications:Smtp:Port"] = Smtp.Port.ToString(),
            ["Notifications:Delivery:PollInterval"] = "00:00:05",
        };
        Host = await NotificationsHost.StartAsync(Clock, settings);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
