using Playbooks.Metrics.Sketches;
using Xunit;

namespace Playbooks.Metrics.Tests;

public sealed class DurationSketchTests
{
    [Fact]
    public void Quantiles_are_within_one_percent_of_the_exact_nearest_rank_sample()
    {
        // Log-normal durations from seconds to months, added largest first so the sketch grows downwards too.
        var random = new Random(3);
        var samples = Enumerable.Range(0, 10_000).Select(_ => (long)(3_600_000 * Math.Exp(2.5 * Normal(random)))).OrderDescending().ToList();
        var sketch = new DurationSketch();
        foreach (var sample in samples) sketch.Add(sample);

        var sorted = samples.Order().ToList();
        foreach (var q in new[] { 0.01, 0.25, 0.5, 0.9, 0.99, 1.0 })
        {
            var exact = sorted[(int)Math.Ceiling(q * sorted.Count) - 1];
            Assert.InRange(sketch.Quantile(q)!.Value, exact * 0.99 - 1, exact * 1.01 + 1);
        }
        Assert.Equal(10_000, sketch.Count);
    }

    [Fact]
    public void Halves_merged_in_either_form_equal_the_whole_and_survive_storage()
    {
        var random = new Random(5);
        var samples = Enumerable.Range(0, 2_000).Select(_ => (long)random.Next(0, 50_000_000)).ToList();
        var whole = new DurationSketch();
        var (first, second) = (new DurationSketch(), new DurationSketch());
        for (var i = 0; i < samples.Count; i++)
        {
            whole.Add(samples[i]);
            (i % 2 == 0 ? first : second).Add(samples[i]);
        }

        var merged = DurationSketch.FromBytes(first.ToBytes());
        merged.Merge(second);
        var mergedStored = new DurationSketch();
        mergedStored.Merge(second.ToBytes());
        mergedStored.Merge(first.ToBytes());

        Assert.Equal(whole.ToBytes(), merged.ToBytes());
        Assert.Equal(whole.ToBytes(), mergedStored.ToBytes());
        Assert.Equal(whole.Quantile(0.5), DurationSketch.FromBytes(whole.ToBytes()).Quantile(0.5));
    }

    [Fact]
    public void An_empty_sketch_has_no_quantile_and_instant_durations_count_as_zero()
    {
        Assert.Null(new DurationSketch().Quantile(0.5));
        var sketch = new DurationSketch();
        sketch.Add(0);
        sketch.Add(0);
        sketch.Add(60_000);
        Assert.Equal(0, sketch.Quantile(0.5));
        Assert.InRange(sketch.Quantile(0.9)!.Value, 59_400, 60_600);
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
