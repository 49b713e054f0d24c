using System.Globalization;
using System.Text;

namespace Playbooks.Metrics.Prometheus;

/// <summary>Prometheus text exposition format 0.0.4: per metric family a HELP and a TYPE line, then its samples.</summary>
internal sealed class ExpositionWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();

    public void Family(string name, string type, string help, IEnumerable<Sample> samples)
    {
        _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\").Replace("\n", "\\n")).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var sample in samples)
        {
            _text.Append(name);
            if (sample.Labels.Count > 0)
                _text.Append('{').AppendJoin(',', sample.Labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")).Append('}');
            _text.Append(' ').Append(Format(sample.Value)).Append('\n');
        }
    }

    public override string ToString() => _text.ToString();

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}

internal sealed record Sample(IReadOnlyList<(string Name, string Value)> Labels, double Value)
{
    public static Sample Of(double value) => new([], value);

    public static Sample Of(string label, string labelValue, double value) => new([(label, labelValue)], value);
}
