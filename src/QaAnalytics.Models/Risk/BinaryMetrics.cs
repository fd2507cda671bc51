namespace QaAnalytics.Models.Risk;

/// <summary>One out-of-sample prediction: the truth, the probability, the threshold in force when it was made, and the team it is about (the bootstrap's cluster).</summary>
public readonly record struct ScoredOutcome(bool Declined, double Probability, double Threshold, string Cluster = "");

/// <summary>One bin of a reliability (calibration) table: predictions with probability in [From, To), and how many of them declined.</summary>
public sealed record CalibrationBin(double From, double To, int Count, double MeanPredicted, double ObservedRate, int Declines = 0);

/// <summary>
/// How good a set of probabilities is: base rate, ROC-AUC, PR-AUC (average precision), precision
/// and recall at the operating threshold, Brier score and a calibration table. Null where a figure
/// is undefined (e.g. AUC with no positive or no negative case).
/// </summary>
public sealed record BinaryMetrics(
    int Count, int Positives, double BaseRate, double? RocAuc, double? PrAuc,
    int Flagged, double? Precision, double? Recall, double Brier, IReadOnlyList<CalibrationBin> Calibration)
{
    /// <summary>Bin edges of the calibration table.</summary>
    public static readonly double[] CalibrationEdges = [0, 0.1, 0.2, 0.3, 0.5, 1.0];

    public static BinaryMetrics Compute(IReadOnlyList<ScoredOutcome> outcomes)
    {
        var n = outcomes.Count;
        var positives = outcomes.Count(o => o.Declined);
        var flagged = outcomes.Where(o => o.Probability >= o.Threshold).ToList();
        var truePositives = flagged.Count(o => o.Declined);
        var calibration = new List<CalibrationBin>();
        for (var i = 0; i < CalibrationEdges.Length - 1; i++)
        {
            var (from, to) = (CalibrationEdges[i], CalibrationEdges[i + 1]);
            var last = i == CalibrationEdges.Length - 2;
            var bin = outcomes.Where(o => o.Probability >= from && (o.Probability < to || (last && o.Probability <= to))).ToList();
            if (bin.Count == 0) continue;
            calibration.Add(new CalibrationBin(from, to, bin.Count, bin.Average(o => o.Probability), bin.Count(o => o.Declined) / (double)bin.Count, bin.Count(o => o.Declined)));
        }
        return new BinaryMetrics(
            n, positives, n == 0 ? 0 : positives / (double)n,
            AreaUnderRoc(outcomes), AveragePrecision(outcomes),
            flagged.Count, flagged.Count == 0 ? null : truePositives / (double)flagged.Count,
            positives == 0 ? null : truePositives / (double)positives,
            n == 0 ? 0 : outcomes.Average(o => Math.Pow(o.Probability - (o.Declined ? 1 : 0), 2)),
            calibration);
    }

    /// <summary>Probability that a random positive is ranked above a random negative (ties count half).</summary>
    public static double? AreaUnderRoc(IReadOnlyList<ScoredOutcome> outcomes)
    {
        var positives = outcomes.Count(o => o.Declined);
        var negatives = outcomes.Count - positives;
        if (positives == 0 || negatives == 0) return null;
        // Mann–Whitney U from mid-ranks.
        var ordered = outcomes.OrderBy(o => o.Probability).ToList();
        double rankSumPositive = 0;
        for (var i = 0; i < ordered.Count;)
        {
            var j = i;
            while (j + 1 < ordered.Count && ordered[j + 1].Probability == ordered[i].Probability) j++;
            var midRank = (i + j) / 2.0 + 1;
            for (var k = i; k <= j; k++) if (ordered[k].Declined) rankSumPositive += midRank;
            i = j + 1;
        }
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>Average precision: precision at each distinct threshold, weighted by the recall it adds (tied scores step together).</summary>
    public static double? AveragePrecision(IReadOnlyList<ScoredOutcome> outcomes)
    {
        var positives = outcomes.Count(o => o.Declined);
        if (positives == 0) return null;
        var ordered = outcomes.OrderByDescending(o => o.Probability).ToList();
        double ap = 0;
        int truePositives = 0, seen = 0;
        for (var i = 0; i < ordered.Count;)
        {
            var j = i;
            var added = 0;
            while (j < ordered.Count && ordered[j].Probability == ordered[i].Probability)
            {
                if (ordered[j].Declined) added++;
                j++;
            }
            seen += j - i;
            truePositives += added;
            ap += added / (double)positives * (truePositives / (double)seen);
            i = j;
        }
        return ap;
    }
}
