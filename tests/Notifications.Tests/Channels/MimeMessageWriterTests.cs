using System.Text;
using Playbooks.Notifications.Channels.Email;
using Xunit;

namespace Playbooks.Notifications.Tests.Channels;

public sealed class MimeMessageWriterTests
{
    [Fact]
    public void A_rendered_variable_cannot_inject_a_header()
    {
        var mime = Write(subject: "Hello\r\nBcc: attacker@evil.example", toName: "Eve\nBcc: attacker@evil.example");

        Assert.DoesNotContain(mime.Split("\r\n"), line => line.StartsWith("Bcc:", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Subject: Hello Bcc: attacker@evil.example\r\n", mime);
    }

    [Fact]
    public void Non_ascii_subjects_are_encoded_words_on_short_lines()
    {
        var mime = Write(subject: "Renouvellement prévu — équipe " + new string('é', 60), toName: "Zoë Ångström-Øvergaard " + new string('ü', 30));

        var headerLines = mime[..mime.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");
        Assert.All(headerLines, line => Assert.True(line.Length <= 76, $"too long: {line}"));
        Assert.Contains(headerLines, line => line.StartsWith("Subject: =?utf-8?B?", StringComparison.Ordinal));
        Assert.All(mime, c => Assert.True(c < 128, "the message must be 7-bit"));
    }

    [Fact]
    public void Names_with_specials_are_quoted_and_plain_ones_are_not()
    {
        Assert.Contains("To: \"Doe, Jane\" <jane@acme.example>\r\n", Write(toName: "Doe, Jane"));
        Assert.Contains("To: Jane Doe <jane@acme.example>\r\n", Write(toName: "Jane Doe"));
        Assert.Contains("To: <jane@acme.example>\r\n", Write(toName: null));
    }

    private static string Write(string subject = "Hi", string? toName = "Jane Doe") =>
        Encoding.ASCII.GetString(MimeMessageWriter.Write(new EmailMessage(
            "cs@playbooks.example", "CS", "jane@acme.example", toName, subject, "text", "<p>html</p>", "id@playbooks.example",
            DateTimeOffset.Parse("2026-11-23T10:00:00Z"), "delivery-1")));
}
