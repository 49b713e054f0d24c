using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Playbooks.ServiceDefaults.Telemetry;

/// <summary>
/// One console line per log entry with the trace and span it was written in, so a line found in <c>kubectl logs</c>
/// leads to its trace (OTLP-exported log records carry the same ids as fields):
/// <c>2026-11-22T10:00:00.000Z warn  Playbooks.Tasks.Creation.TaskRequestedConsumer[3] trace=4bf9… span=00f0… Rejected task request …</c>
/// </summary>
public sealed class TraceConsoleFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "playbooks";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null) return;
        textWriter.Write(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"));
        textWriter.Write(' ');
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(' ');
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id);
        textWriter.Write(']');
        if (Activity.Current is { } current)
        {
            textWriter.Write(" trace=");
            textWriter.Write(current.TraceId.ToHexString());
            textWriter.Write(" span=");
            textWriter.Write(current.SpanId.ToHexString());
        }
        textWriter.Write(' ');
        textWriter.Write(message);
        if (logEntry.Exception is { } error)
        {
            textWriter.WriteLine();
            textWriter.Write(error.ToString());
        }
        textWriter.WriteLine();
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
