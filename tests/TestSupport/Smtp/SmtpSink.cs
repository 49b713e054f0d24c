using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Playbooks.TestSupport.Smtp;

/// <summary>
/// A real SMTP server on a loopback port (smtp_sink.py: Python's standard-library smtpd, which needs Python 3.11 or
/// older) that records what it receives and can be told to refuse messages, so tests send mail exactly as production does.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private int _rules;

    private SmtpSink(Process process, string folder)
    {
        _process = process;
        Folder = folder;
    }

    public string Host => "127.0.0.1";

    public int Port { get; private set; }

    public string Folder { get; }

    /// <param name="countOnly">Only count messages (benchmarks): nothing is parsed or written per message.</param>
    public static async Task<SmtpSink> StartAsync(bool countOnly = false)
    {
        var folder = Path.Combine(Path.GetTempPath(), "playbooks-smtp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo("python3")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Smtp", "smtp_sink.py"), "--dir", folder },
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (countOnly) start.ArgumentList.Add("--count-only");
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException("The SMTP sink needs python3 (3.11 or older, which still has smtpd) on PATH.", error);
        }
        var sink = new SmtpSink(process, folder);
        process.ErrorDataReceived += (_, line) => { lock (sink._errors) sink._errors.AppendLine(line.Data); };
        process.BeginErrorReadLine();

        var portFile = Path.Combine(folder, "port");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!File.Exists(portFile))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await sink.DisposeAsync();
                throw new InvalidOperationException($"The SMTP sink did not start: {sink.Errors}");
            }
            await Task.Delay(20);
        }
        sink.Port = int.Parse(await File.ReadAllTextAsync(portFile));
        return sink;
    }

    /// <summary>What the Python process wrote to stderr, for failure messages.</summary>
    public string Errors
    {
        get { lock (_errors) return _errors.ToString(); }
    }

    /// <summary>Answers the next <paramref name="times"/> messages to <paramref name="recipient"/> ("*" for anyone) with <paramref name="reply"/>, e.g. "451 4.3.0 try later".</summary>
    public void Refuse(string recipient, string reply, int times)
    {
        var rule = Path.Combine(Folder, "control", $"{Interlocked.Increment(ref _rules):D6}.json");
        File.WriteAllText(rule + ".tmp", JsonSerializer.Serialize(new { rcpt = recipient, reply, times }));
        File.Move(rule + ".tmp", rule);
    }

    /// <summary>Takes the next <paramref name="times"/> messages to <paramref name="recipient"/>, then closes the connection without answering (the answer is lost).</summary>
    public void TakeThenHangUp(string recipient, int times) => Refuse(recipient, "DROP", times);

    public IReadOnlyList<ReceivedEmail> Received()
    {
        var messages = Path.Combine(Folder, "messages");
        return Directory.GetFiles(messages, "*.json").Order(StringComparer.Ordinal)
            .Select(file => JsonSerializer.Deserialize<ReceivedEmail>(File.ReadAllText(file), JsonSerializerOptions.Web)!)
            .ToList();
    }

    public IReadOnlyList<ReceivedEmail> ReceivedBy(string recipient) =>
        Received().Where(message => message.RcptTo.Contains(recipient, StringComparer.OrdinalIgnoreCase)).ToList();

    /// <summary>With <c>countOnly</c>: how many messages were accepted so far.</summary>
    public int Count()
    {
        var file = Path.Combine(Folder, "count");
        return File.Exists(file) && int.TryParse(File.ReadAllText(file), out var count) ? count : 0;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(3))) _process.Kill();
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        _process.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
