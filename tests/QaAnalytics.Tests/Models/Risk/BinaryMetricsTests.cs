using QaAnalytics.Models.Risk;

namespace QaAnalytics.Tests.Models.Risk;

public sealed class BinaryMetricsTests
{
    private static List<ScoredOutcome> Outcomes(params (bool Declined, double P)[] xs) => xs.Select(x => new ScoredOutcome(x.Declined, x.P, 0.5)).ToList();

    [Fact]
    public void AreaUnderRoc_PerfectReversedAndTied_OneZeroAndHalf()
    {
        Assert.Equal(1.0, BinaryMetrics.AreaUnderRoc(Outcomes((true, 0.9), (true, 0.8), (false, 0.3), (false, 0.1))));
        Assert.Equal(0.0, BinaryMetrics.AreaUnderRoc(Outcomes((true, 0.1), (false, 0.9))));
        Assert.Equal(0.5, BinaryMetrics.AreaUnderRoc(Outcomes((true, 0.4), (false, 0.4))));
        Assert.Null(BinaryMetrics.AreaUnderRoc(Outcomes((false, 0.4), (false, 0.2))));
    }

    [Fact]
    public void AveragePrecision_HandWorkedRanking_MatchesDefinition()
    {
        // Ranked: + (P 1/1), - , + (P 2/3): AP = (1 + 2/3) / 2.
        Assert.Equal((1 + 2.0 / 3) / 2, BinaryMetrics.AveragePrecision(Outcomes((true, 0.9), (false, 0.8), (true, 0.7), (false, 0.1)))!.Value, 12);
    }

    [Fact]
    public void Compute_Threshold_PrecisionRecallBrierAndCalibrationAddUp()
    {
        var m = BinaryMetrics.Compute(Outcomes((true, 0.9), (false, 0.6), (true, 0.2), (false, 0.05)));

        Assert.Equal((4, 2, 0.5), (m.Count, m.Positives, m.BaseRate));
        Assert.Equal((2, 0.5, 0.5), (m.Flagged, m.Precision, m.Recall));
        Assert.Equal((0.01 + 0.36 + 0.64 + 0.0025) / 4, m.Brier, 12);
        Assert.Equal(4, m.Calibration.Sum(b => b.Count));
    }
}
