using System.Globalization;

namespace QaAnalytics.Models.Risk;

/// <summary>Model minus baseline on one metric: the backtest's figure and its 95% bootstrap interval.</summary>
public sealed record MarginInterval(double Estimate, double Lower, double Upper)
{
    /// <summary>The interval lies wholly above zero.</summary>
    public bool AboveZero => Lower > 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Estimate:+0.000;-0.000} (95% CI {Lower:+0.000;-0.000} to {Upper:+0.000;-0.000})");
}

/// <summary>
/// Model minus baseline on PR-AUC and ROC-AUC over the pooled backtest predictions, with 95%
/// percentile intervals from a bootstrap that resamples teams (clustered: a team's quarters stay
/// together, as they are not independent), seeded so the same data gives the same interval.
/// </summary>
public sealed record ModelVsBaseline(MarginInterval PrAuc, MarginInterval RocAuc, int Resamples, int Teams, int Seed)
{
    /// <summary>Evidence that the model adds to the grade history: both intervals wholly above zero.</summary>
    public bool Evidence => PrAuc.AboveZero && RocAuc.AboveZero;

    /// <param name="model">The model's pooled backtest predictions.</param>
    /// <param name="baseline">The baseline's, for the same team-quarters in the same order.</param>
    /// <param name="resamples">Bootstrap resamples (at least 1,000 for the verdict).</param>
    /// <param name="seed">Seed of the resampling.</param>
    public static ModelVsBaseline Bootstrap(IReadOnlyList<ScoredOutcome> model, IReadOnlyList<ScoredOutcome> baseline, int resamples, int seed)
    {
        if (model.Count != baseline.Count) throw new ArgumentException("model and baseline must score the same team-quarters", nameof(baseline));
        var clusters = model.Select((o, i) => (o.Cluster, i)).GroupBy(x => x.Cluster, StringComparer.Ordinal)
            .Select(g => g.Select(x => x.i).ToArray()).ToArray();
        var prAuc = new double[resamples];
        var rocAuc = new double[resamples];
        var random = new Random(seed);
        var m = new List<ScoredOutcome>(model.Count * 2);
        var b = new List<ScoredOutcome>(model.Count * 2);
        for (var r = 0; r < resamples; r++)
        {
            m.Clear();
            b.Clear();
            for (var k = 0; k < clusters.Length; k++)
            {
                foreach (var i in clusters[random.Next(clusters.Length)])
                {
                    m.Add(model[i]);
                    b.Add(baseline[i]);
                }
            }
            prAuc[r] = (BinaryMetrics.AveragePrecision(m) ?? 0) - (BinaryMetrics.AveragePrecision(b) ?? 0);
            rocAuc[r] = (BinaryMetrics.AreaUnderRoc(m) ?? 0.5) - (BinaryMetrics.AreaUnderRoc(b) ?? 0.5);
        }
        return new ModelVsBaseline(
            Interval((BinaryMetrics.AveragePrecision(model) ?? 0) - (BinaryMetrics.AveragePrecision(baseline) ?? 0), prAuc),
            Interval((BinaryMetrics.AreaUnderRoc(model) ?? 0.5) - (BinaryMetrics.AreaUnderRoc(baseline) ?? 0.5), rocAuc),
            resamples, clusters.Length, seed);
    }

    private static MarginInterval Interval(double estimate, double[] resampled)
    {
        Array.Sort(resampled);
        return new MarginInterval(estimate, Quantile(resampled, 0.025), Quantile(resampled, 0.975));
    }

    /// <summary>Linear interpolation between order statistics (type 7, as R and NumPy default).</summary>
    private static double Quantile(double[] sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
