using System.Security.Cryptography;
using System.Text;

namespace Playbooks.Notifications.Channels.Chat;

/// <summary>
/// <c>X-Playbooks-Signature: sha256=&lt;hex&gt;</c>, an HMAC-SHA256 with the configured secret over
/// <c>"{X-Playbooks-Timestamp}.{body}"</c>. Binding the timestamp in lets a receiver refuse replays of an old request
/// (reject timestamps more than a few minutes old), which a signature over the body alone could not.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Playbooks-Signature";
    public const string TimestampHeader = "X-Playbooks-Timestamp";
    public const string DeliveryHeader = "X-Playbooks-Delivery";

    public static string Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + 1 + body.Length];
        var written = Encoding.UTF8.GetBytes(timestamp, signed);
        signed[written] = (byte)'.';
        body.CopyTo(signed.AsSpan(written + 1));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
