using System.Net.Mail;

namespace Playbooks.Notifications.Recipients;

/// <summary>What counts as an address a notification can go to (user ids are email addresses too).</summary>
public static class EmailAddresses
{
    /// <summary>
    /// A bare ASCII address with a dotted domain, e.g. <c>jane@acme.example</c>. Display names, spaces and non-ASCII
    /// (which would need SMTPUTF8) are refused rather than mangled.
    /// </summary>
    public static bool IsValid(string? address)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Length > 254) return false;
        if (!address.All(c => c is > ' ' and < (char)127)) return false;
        if (!MailAddress.TryCreate(address, out var parsed) || parsed.Address != address || parsed.DisplayName.Length > 0) return false;
        var host = parsed.Host;
        return host.Contains('.') && !host.StartsWith('.') && !host.EndsWith('.');
    }

    public static string Invalid(string? address) => $"'{address}' is not a valid email address (expected e.g. jane@acme.example).";

    /// <summary>"jane.doe@acme.example" → "Jane Doe": a greeting for people the snapshot names only by address.</summary>
    public static string NameFrom(string address)
    {
        var local = address.Split('@')[0];
        var words = local.Split(['.', '_', '-', '+'], StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? address : string.Join(' ', words.Select(word => char.ToUpperInvariant(word[0]) + word[1..]));
    }
}
