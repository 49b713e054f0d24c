using System.Net.Mail;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Playbooks.Notifications.Channels.Email;

/// <summary>Email over SMTP, through the shared connection pool.</summary>
internal sealed class EmailChannel(SmtpOptions options, SmtpConnectionPool pool, TimeProvider time) : INotificationChannel
{
    private readonly MailAddress _from = new(options.From);

    public string Name => ChannelNames.Email;

    public bool ResendIsHarmless => false;

    public string EndpointOf(OutgoingNotification notification) => options.Endpoint;

    public async Task<SendResult> SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        var message = new EmailMessage(
            _from.Address, _from.DisplayName, notification.Recipient, notification.RecipientName,
            notification.Subject ?? "", notification.Text, notification.Html,
            $"{notification.DeliveryId}@{_from.Host}", time.GetUtcNow(), notification.DeliveryId);
        try
        {
            await pool.SendAsync(_from.Address, notification.Recipient, MimeMessageWriter.Write(message), cancellationToken);
            return SendResult.Sent;
        }
        catch (SmtpOutcomeUnknownException unknown)
        {
            return SendResult.Unknown(unknown.Message);
        }
        catch (SmtpReplyException refused)
        {
            return refused.IsPermanent ? SendResult.Permanent(refused.Message) : SendResult.Transient(refused.Message);
        }
        catch (Exception error) when (error is IOException or SocketException or AuthenticationException)
        {
            return SendResult.Transient($"Cannot deliver to {options.Endpoint}: {error.Message}");
        }
    }
}
