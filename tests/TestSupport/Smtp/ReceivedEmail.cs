namespace Playbooks.TestSupport.Smtp;

/// <summary>A message as the SMTP sink received it: the envelope, the headers, and the text and HTML parts decoded.</summary>
public sealed record ReceivedEmail(
    string MailFrom,
    IReadOnlyList<string> RcptTo,
    string From,
    string To,
    string Subject,
    string MessageId,
    IReadOnlyDictionary<string, string> Headers,
    string? Text,
    string? Html);
