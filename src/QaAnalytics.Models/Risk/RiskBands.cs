namespace QaAnalytics.Models.Risk;

/// <summary>
/// The bands a flag falls in, set from the base rate of declines in the training data: "high" at
/// probability ≥ <see cref="RiskModelOptions.HighMultiple"/> × base rate (the operating threshold at
/// which precision and recall are reported), "watch" at ≥ <see cref="RiskModelOptions.WatchMultiple"/>
/// × base rate, "low" below. Where the backtest found no evidence that the model adds to the grade
/// history, both thresholds are raised by <see cref="RiskModelOptions.NoEvidenceWidening"/> (the low
/// band widens) and <see cref="Widened"/> says so.
/// </summary>
public sealed record RiskBands(double BaseRate, double High, double Watch, bool Widened = false)
{
    /// <summary>The bands with both thresholds multiplied by <paramref name="factor"/> (capped at 0.95).</summary>
    public RiskBands Widen(double factor) => this with { High = Math.Min(0.95, High * factor), Watch = Math.Min(0.95, Watch * factor), Widened = true };

    public static RiskBands From(IReadOnlyCollection<TeamQuarter> training, RiskModelOptions options)
    {
        var labelled = training.Where(r => r.Declined is not null).ToList();
        var baseRate = labelled.Count == 0 ? 0 : labelled.Count(r => r.Declined == true) / (double)labelled.Count;
        return new RiskBands(baseRate, Math.Min(0.95, options.HighMultiple * baseRate), Math.Min(0.95, options.WatchMultiple * baseRate));
    }

    public string Band(double probability) => probability >= High ? "high" : probability >= Watch ? "watch" : "low";
}
