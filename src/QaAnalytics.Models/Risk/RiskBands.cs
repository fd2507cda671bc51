namespace QaAnalytics.Models.Risk;

/// <summary>
/// The bands a flag falls in, set from the base rate of declines in the training data: "high" at
/// probability ≥ <see cref="RiskModelOptions.HighMultiple"/> × base rate (the operating threshold at
/// which precision and recall are reported), "watch" at ≥ <see cref="RiskModelOptions.WatchMultiple"/>
/// × base rate, "low" below.
/// </summary>
public sealed record RiskBands(double BaseRate, double High, double Watch)
{
    public static RiskBands From(IReadOnlyCollection<TeamQuarter> training, RiskModelOptions options)
    {
        var labelled = training.Where(r => r.Declined is not null).ToList();
        var baseRate = labelled.Count == 0 ? 0 : labelled.Count(r => r.Declined == true) / (double)labelled.Count;
        return new RiskBands(baseRate, Math.Min(0.95, options.HighMultiple * baseRate), Math.Min(0.95, options.WatchMultiple * baseRate));
    }

    public string Band(double probability) => probability >= High ? "high" : probability >= Watch ? "watch" : "low";
}
