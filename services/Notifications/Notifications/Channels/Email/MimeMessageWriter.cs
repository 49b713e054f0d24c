using System.Globalization;
using System.Text;

namespace Playbooks.Notifications.Channels.Email;

/// <summary>
/// Writes an email as MIME (RFC 5322, 2045, 2047): a text part and, when there is one, an HTML alternative.
/// Bodies are UTF-8 in base64, so no line of content can be too long or start with a dot; header values lose
/// CR and LF so a rendered variable cannot inject a header.
/// </summary>
public static class MimeMessageWriter
{
    // 36 bytes are 48 base64 characters, 60 with the =?utf-8?B?…?= wrapper: a line with "Subject: " in front stays under
    // the 76 characters RFC 2047 allows a line holding encoded words.
    private const int MaxEncodedWordBytes = 36;

    private static readonly char[] Specials = ['(', ')', '<', '>', '[', ']', ':', ';', '@', '\\', ',', '.', '"'];

    public static byte[] Write(EmailMessage message)
    {
        var mime = new StringBuilder(512 + (message.Text.Length + (message.Html?.Length ?? 0)) * 2);
        Header(mime, "From", Mailbox(message.FromAddress, message.FromName));
        Header(mime, "To", Mailbox(message.ToAddress, message.ToName));
        Header(mime, "Subject", HeaderText(message.Subject));
        Header(mime, "Date", message.Date.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
        Header(mime, "Message-ID", $"<{message.MessageId}>");
        Header(mime, "X-Playbooks-Delivery", message.DeliveryId);
        Header(mime, "MIME-Version", "1.0");
        if (message.Html is null)
        {
            Part(mime, "text/plain", message.Text);
        }
        else
        {
            var boundary = $"=_playbooks_{message.DeliveryId}";
            Header(mime, "Content-Type", $"multipart/alternative; boundary=\"{boundary}\"");
            mime.Append("\r\n");
            mime.Append("--").Append(boundary).Append("\r\n");
            Part(mime, "text/plain", message.Text);
            mime.Append("--").Append(boundary).Append("\r\n");
            Part(mime, "text/html", message.Html);
            mime.Append("--").Append(boundary).Append("--\r\n");
        }
        return Encoding.ASCII.GetBytes(mime.ToString());
    }

    private static void Part(StringBuilder mime, string type, string content)
    {
        Header(mime, "Content-Type", $"{type}; charset=utf-8");
        Header(mime, "Content-Transfer-Encoding", "base64");
        mime.Append("\r\n");
        var canonical = content.ReplaceLineEndings("\r\n");
        mime.Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(canonical), Base64FormattingOptions.InsertLineBreaks));
        mime.Append("\r\n");
    }

    private static void Header(StringBuilder mime, string name, string value) => mime.Append(name).Append(": ").Append(value).Append("\r\n");

    private static string Mailbox(string address, string? name)
    {
        var display = OneLine(name);
        if (display.Length == 0) return $"<{address}>";
        // The address goes on a folded line of its own so the encoded name's line stays short.
        if (!IsPlainAscii(display)) return $"{EncodedWords(display)}\r\n <{address}>";
        // Names with RFC 5322 specials (a comma in "Doe, Jane") must be quoted; plain ones read better bare.
        return display.IndexOfAny(Specials) < 0 ? $"{display} <{address}>" : $"\"{display.Replace("\\", "\\\\").Replace("\"", "\\\"")}\" <{address}>";
    }

    // Plain ASCII that fits one line stays readable; anything else becomes RFC 2047 encoded words, folded one per line.
    private static string HeaderText(string text)
    {
        var line = OneLine(text);
        return IsPlainAscii(line) && line.Length <= 70 && !line.Contains("=?", StringComparison.Ordinal) ? line : EncodedWords(line);
    }

    private static string EncodedWords(string text)
    {
        var words = new List<string>();
        var chunk = new List<byte>();
        Span<byte> rune = stackalloc byte[4];
        foreach (var character in text.EnumerateRunes())
        {
            var length = character.EncodeToUtf8(rune);
            if (chunk.Count + length > MaxEncodedWordBytes) Flush();
            chunk.AddRange(rune[..length].ToArray());
        }
        Flush();
        return string.Join("\r\n ", words);

        void Flush()
        {
            if (chunk.Count == 0) return;
            words.Add($"=?utf-8?B?{Convert.ToBase64String(chunk.ToArray())}?=");
            chunk.Clear();
        }
    }

    private static string OneLine(string? text) =>
        string.Join(' ', (text ?? "").Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    private static bool IsPlainAscii(string text) => text.All(c => c is >= ' ' and < (char)127);
}
