using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Playbooks.ServiceDefaults.Telemetry;
using Xunit;

namespace Playbooks.Suite.Tests.Observability;

public sealed class TraceConsoleFormatterTests
{
    [Fact]
    public void A_console_line_written_inside_a_span_names_its_trace_and_span()
    {
        using var span = new Activity("handling an event").SetIdFormat(ActivityIdFormat.W3C).Start();
        var line = Write(LogLevel.Warning, "Rejected task request e1");

        Assert.Contains($" trace={span.TraceId.ToHexString()} span={span.SpanId.ToHexString()} ", line);
        Assert.Contains("warn Playbooks.Tasks[3]", line);
        Assert.EndsWith("Rejected task request e1" + Environment.NewLine, line);
    }

    [Fact]
    public void A_console_line_outside_any_span_has_no_trace()
    {
        Activity.Current = null;

        Assert.DoesNotContain("trace=", Write(LogLevel.Information, "Started"));
    }

    private static string Write(LogLevel level, string message)
    {
        var writer = new StringWriter();
        new TraceConsoleFormatter().Write(new LogEntry<string>(level, "Playbooks.Tasks", new EventId(3), message, null, (state, _) => state), null, writer);
        return writer.ToString();
    }
}
