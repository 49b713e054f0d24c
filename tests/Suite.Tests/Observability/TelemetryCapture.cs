using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Playbooks.Suite.Tests.Observability;

/// <summary>
/// Sees what the suite's telemetry pipeline sees, in this process: every finished span of the sources the pipeline
/// exports (the same <see cref="Activity"/> objects its exporter gets, scrubbed in place by its processor when they end),
/// every measurement of the Playbooks meter, and every log entry with the trace it was written in.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    // Before TestSource: creating a source calls every listener's ShouldListenTo, which reads this set.
    private static readonly HashSet<string> Sources = ["Playbooks", "Microsoft.AspNetCore", "System.Net.Http", "Yarp.ReverseProxy", "Playbooks.Tests"];

    public static readonly ActivitySource TestSource = new("Playbooks.Tests");

    private readonly ActivityListener _spans;
    private readonly MeterListener _meters;

    public TelemetryCapture()
    {
        _spans = new ActivityListener
        {
            ShouldListenTo = source => Sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_spans);

        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Playbooks") listener.EnableMeasurementEvents(instrument);
            },
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.Start();
    }

    public ConcurrentQueue<Activity> Spans { get; } = new();

    public ConcurrentQueue<Measurement> Measurements { get; } = new();

    public ConcurrentQueue<LogLine> Logs { get; } = new();

    public IReadOnlyList<Activity> SpansOf(ActivityTraceId trace) => Spans.Where(span => span.TraceId == trace).ToList();

    public IReadOnlyList<Measurement> MeasurementsOf(string instrument) => Measurements.Where(m => m.Instrument == instrument).ToList();

    public ILoggerProvider LoggerProvider() => new CapturingLoggerProvider(this);

    /// <summary>Log records as OpenTelemetry's logging pipeline stamps them for its exporters.</summary>
    public ConcurrentQueue<LogLine> OtelLogs { get; } = new();

    public BaseProcessor<LogRecord> LogRecordProcessor() => new CapturingLogRecordProcessor(this);

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        Measurements.Enqueue(new Measurement(instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));

    public void Dispose()
    {
        _spans.Dispose();
        _meters.Dispose();
    }

    public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
    {
        public object? this[string tag] => Tags.GetValueOrDefault(tag);
    }

    /// <param name="Values">The entry's structured values, as a log exporter would send them.</param>
    public sealed record LogLine(string Category, string Message, IReadOnlyList<string> Values, ActivityTraceId? TraceId, ActivitySpanId? SpanId);

    // LogRecords are pooled: copy what is needed before the pipeline reuses the record.
    private sealed class CapturingLogRecordProcessor(TelemetryCapture capture) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data) =>
            capture.OtelLogs.Enqueue(new LogLine(data.CategoryName ?? "", data.FormattedMessage ?? "",
                data.Attributes?.Select(a => $"{a.Key}={a.Value}").ToList() ?? [],
                data.TraceId == default ? null : data.TraceId, data.SpanId == default ? null : data.SpanId));
    }

    // Reads the ambient span the way OpenTelemetry's log processor does when it stamps a log record.
    private sealed class CapturingLoggerProvider(TelemetryCapture capture) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(capture, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(TelemetryCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.Select(p => $"{p.Key}={p.Value}").ToList() : [];
            var current = Activity.Current;
            capture.Logs.Enqueue(new LogLine(category, formatter(state, exception), values, current?.TraceId, current?.SpanId));
        }
    }
}
