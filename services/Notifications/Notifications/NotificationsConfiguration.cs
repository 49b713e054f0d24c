using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Configuration;
using Playbooks.Notifications.Channels.Chat;
using Playbooks.Notifications.Channels.Email;
using Playbooks.Notifications.Delivery;
using Playbooks.ServiceDefaults.Hosting;

namespace Playbooks.Notifications;

/// <summary>The <c>Notifications</c> configuration section, read once at start-up and checked so a bad value stops the service with what to fix.</summary>
public sealed record NotificationsConfiguration(
    SmtpOptions Smtp,
    ChatOptions Chat,
    DeliveryOptions Delivery,
    CircuitBreakerOptions CircuitBreaker,
    QuietHoursOptions QuietHours,
    RateLimitOptions RateLimit)
{
    public const string Section = "Notifications";

    public static NotificationsConfiguration Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        T Bind<T>(string name) where T : new()
        {
            try
            {
                return section.GetSection(name).Get<T>() ?? new T();
            }
            catch (InvalidOperationException error)
            {
                throw new StartupFailure($"{Section}:{name} has a value of the wrong type: {error.InnerException?.Message ?? error.Message}", error);
            }
        }

        var settings = new NotificationsConfiguration(
            Bind<SmtpOptions>("Smtp"), Bind<ChatOptions>("Chat"), Bind<DeliveryOptions>("Delivery"),
            Bind<CircuitBreakerOptions>("CircuitBreaker"), Bind<QuietHoursOptions>("QuietHours"), Bind<RateLimitOptions>("RateLimit"));
        var problems = settings.Problems().ToList();
        if (problems.Count > 0)
            throw new StartupFailure($"The {Section} settings cannot work: {string.Join(" ", problems)}");
        return settings;
    }

    private IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Smtp.Host)) yield return "Set Notifications:Smtp:Host to the SMTP server's name.";
        if (Smtp.Port is < 1 or > 65535) yield return $"Notifications:Smtp:Port {Smtp.Port} is not a TCP port.";
        if (!MailAddress.TryCreate(Smtp.From, out _)) yield return $"Notifications:Smtp:From '{Smtp.From}' is not an email address (e.g. 'Acme CS <cs@acme.example>').";
        if (Smtp.UserName is not null != Smtp.Password is not null) yield return "Set both Notifications:Smtp:UserName and Notifications:Smtp:Password, or neither.";
        if (Smtp.UserName is not null && Smtp.Security == SmtpSecurity.None && !IsLoopback(Smtp.Host))
            yield return "SMTP credentials would cross the network in clear text: set Notifications:Smtp:Security to StartTls or Tls.";
        if (Smtp.MaxConnections < 1 || Smtp.MessagesPerConnection < 1) yield return "Notifications:Smtp:MaxConnections and MessagesPerConnection must be at least 1.";
        if (Chat.WebhookUrl is { } url && !WebhookUrls.IsValid(url)) yield return $"Notifications:Chat:WebhookUrl '{url}' is not an absolute http(s) URL.";
        if (Delivery.MaxAttempts < 1) yield return "Notifications:Delivery:MaxAttempts must be at least 1.";
        if (Delivery.Concurrency < 1) yield return "Notifications:Delivery:Concurrency must be at least 1.";
        if (Delivery.BaseDelay <= TimeSpan.Zero || Delivery.MaxDelay < Delivery.BaseDelay) yield return "Notifications:Delivery:BaseDelay must be positive and at most MaxDelay.";
        if (Delivery.PollInterval <= TimeSpan.Zero) yield return "Notifications:Delivery:PollInterval must be positive.";
        // A round sends Concurrency messages over MaxConnections connections, each send within the SMTP timeout (a chat
        // post within its own): a lease that ends first has another replica dead-letter messages still being sent.
        if (Delivery.Concurrency >= 1 && Smtp.MaxConnections >= 1 && Delivery.Lease <= LongestRound() * 2)
            yield return $"Notifications:Delivery:Lease ({Delivery.Lease.TotalSeconds:0.#} s) must be well above a round's longest, "
                + $"{LongestRound().TotalSeconds:0.#} s: {Delivery.Concurrency} sends (Delivery:Concurrency) over {Smtp.MaxConnections} connections "
                + $"(Smtp:MaxConnections) of up to {Smtp.Timeout.TotalSeconds:0.#} s each (Smtp:Timeout). Raise the lease to at least twice that, or send fewer at once.";
        if (CircuitBreaker.FailureRatio is <= 0 or > 1 || CircuitBreaker.MinimumThroughput < 2) yield return "Notifications:CircuitBreaker needs 0 < FailureRatio ≤ 1 and MinimumThroughput ≥ 2.";
        if (CircuitBreaker.BreakDuration < TimeSpan.FromMilliseconds(500) || CircuitBreaker.SamplingDuration < TimeSpan.FromMilliseconds(500))
            yield return "Notifications:CircuitBreaker BreakDuration and SamplingDuration must be at least 0.5 s.";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(QuietHours.DefaultTimeZone, out _)) yield return $"Notifications:QuietHours:DefaultTimeZone '{QuietHours.DefaultTimeZone}' is not a known time zone (e.g. Europe/Paris).";
        if (RateLimit.PerRecipient < 1 || RateLimit.Window <= TimeSpan.Zero) yield return "Notifications:RateLimit needs PerRecipient ≥ 1 and a positive Window.";
    }

    private TimeSpan LongestRound()
    {
        var smtp = Smtp.Timeout * Math.Ceiling(Delivery.Concurrency / (double)Smtp.MaxConnections);
        return smtp > Chat.Timeout ? smtp : Chat.Timeout;
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
