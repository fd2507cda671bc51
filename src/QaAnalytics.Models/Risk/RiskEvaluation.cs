using Microsoft.ML;
using Microsoft.ML.Data;

namespace QaAnalytics.Models.Risk;

/// <summary>One quarter of the rolling-origin backtest: trained on every labelled quarter before it, tested on it.</summary>
public sealed record BacktestFold(string Quarter, int TrainRows, int TestRows, int Declines, double Threshold,
    double? ModelRocAuc, double? BaselineRocAuc, double? ModelPrAuc, double? BaselinePrAuc);

/// <summary>One feature's permutation importance: how much the held-out ROC-AUC and PR-AUC fall when its values are shuffled.</summary>
public sealed record FeatureImportance(int Rank, string Feature, string Words, double RocAucDrop, double PrAucDrop, bool Pressure);

/// <summary>
/// The model judged on periods it has not seen, beside the baseline: the backtest folds, the pooled
/// metrics of both, whether the model beats the baseline, and the permutation importance.
/// </summary>
public sealed record RiskEvaluation(
    IReadOnlyList<BacktestFold> Folds, BinaryMetrics Model, BinaryMetrics Baseline,
    IReadOnlyList<FeatureImportance> Importance, string ImportanceWindow)
{
    public bool BeatsBaselineOnPrAuc => Model.PrAuc > Baseline.PrAuc;

    public bool BeatsBaselineOnRocAuc => Model.RocAuc > Baseline.RocAuc;

    /// <summary>One plain sentence: does the model earn its keep over the baseline?</summary>
    public string Verdict =>
        Folds.Count == 0
            ? "NOT EVALUATED: too little labelled history for a backtest (see the minimum training quarters and declines); do not use the flags."
            : BeatsBaselineOnPrAuc && BeatsBaselineOnRocAuc
                ? "The model beats the baseline on both PR-AUC and ROC-AUC in the backtest."
                : BeatsBaselineOnPrAuc
                    ? "The model beats the baseline on PR-AUC but NOT on ROC-AUC in the backtest: treat its ranking with care."
                    : "The model does NOT beat the baseline on PR-AUC in the backtest: its flags add nothing to the simple rule; do not rely on them.";

    /// <summary>
    /// Rolling-origin backtest (train on quarters before t, test on t, for every t with enough
    /// history), then permutation importance of a model trained on the first 70% of labelled quarters
    /// and measured on the rest.
    /// </summary>
    public static RiskEvaluation Run(IReadOnlyList<TeamQuarter> rows, RiskTrainer trainer)
    {
        var options = trainer.Options;
        var labelled = rows.Where(r => r.Declined is not null).ToList();
        var quarters = labelled.Select(r => r.QuarterIndex).Distinct().Order().ToList();
        var folds = new List<BacktestFold>();
        var model = new List<ScoredOutcome>();
        var baseline = new List<ScoredOutcome>();
        foreach (var t in quarters)
        {
            var train = labelled.Where(r => r.QuarterIndex < t).ToList();
            if (train.Select(r => r.QuarterIndex).Distinct().Count() < options.MinTrainingQuarters || !Trainable(train, options)) continue;
            var test = labelled.Where(r => r.QuarterIndex == t).ToList();
            var threshold = RiskBands.From(train, options).High;
            var pm = RiskTrainer.Probabilities(trainer.FitModel(train).Model, test);
            var pb = RiskTrainer.Probabilities(trainer.FitBaseline(train), test);
            var fm = test.Select((r, i) => new ScoredOutcome(r.Declined!.Value, pm[i], threshold)).ToList();
            var fb = test.Select((r, i) => new ScoredOutcome(r.Declined!.Value, pb[i], threshold)).ToList();
            model.AddRange(fm);
            baseline.AddRange(fb);
            folds.Add(new BacktestFold(test[0].Quarter, train.Count, test.Count, fm.Count(o => o.Declined), threshold,
                BinaryMetrics.AreaUnderRoc(fm), BinaryMetrics.AreaUnderRoc(fb), BinaryMetrics.AveragePrecision(fm), BinaryMetrics.AveragePrecision(fb)));
        }
        var (importance, window) = PermutationImportance(labelled, quarters, trainer);
        return new RiskEvaluation(folds, BinaryMetrics.Compute(model), BinaryMetrics.Compute(baseline), importance, window);
    }

    /// <summary>Enough declines and non-declines to fit a model.</summary>
    public static bool Trainable(IReadOnlyCollection<TeamQuarter> rows, RiskModelOptions options)
    {
        var positives = rows.Count(r => r.Declined == true);
        return positives >= options.MinPositives && rows.Count - positives >= options.MinPositives;
    }

    private static (IReadOnlyList<FeatureImportance>, string) PermutationImportance(List<TeamQuarter> labelled, List<int> quarters, RiskTrainer trainer)
    {
        if (quarters.Count < 2) return ([], "not computed: fewer than two labelled quarters");
        var cut = quarters[Math.Clamp((int)Math.Round(quarters.Count * 0.7), 1, quarters.Count - 1)];
        var train = labelled.Where(r => r.QuarterIndex < cut).ToList();
        var test = labelled.Where(r => r.QuarterIndex >= cut).ToList();
        if (!Trainable(train, trainer.Options) || test.All(r => r.Declined == true) || test.All(r => r.Declined == false))
        {
            return ([], "not computed: too few declines to train and measure on separate quarters");
        }
        var fitted = trainer.FitModel(train);
        var ml = fitted.Context;
        // PFI applies the final predictor to data that already holds the feature vector.
        var prepare = new TransformerChain<ITransformer>(((IEnumerable<ITransformer>)fitted.Model).SkipLast(1).ToArray());
        var pfi = ml.BinaryClassification.PermutationFeatureImportanceNonCalibrated(
            fitted.Model, prepare.Transform(ml.Data.LoadFromEnumerable(test)),
            permutationCount: trainer.Options.Permutations);
        var ranked = RiskFeatures.All
            .Select(f => (Feature: f, Stats: pfi.TryGetValue(f.Column, out var s) ? s : null))
            .Select(x => (x.Feature, Roc: x.Stats is null ? 0 : -x.Stats.AreaUnderRocCurve.Mean, Pr: x.Stats is null ? 0 : -x.Stats.AreaUnderPrecisionRecallCurve.Mean))
            .OrderByDescending(x => x.Roc).ThenByDescending(x => x.Pr).ThenBy(x => x.Feature.Column, StringComparer.Ordinal)
            .Select((x, i) => new FeatureImportance(i + 1, x.Feature.Column, x.Feature.Words + (x.Feature.AgainstYear ? " (against the mean of the previous four quarters)"
                : x.Feature.IsChange ? $" (change over {x.Feature.Quarters} quarter{(x.Feature.Quarters > 1 ? "s" : "")})" : ""),
                x.Roc, x.Pr, x.Feature.Pressure))
            .ToList();
        return (ranked, $"model trained on {train[0].Quarter} to {train[^1].Quarter} ({train.Count} team-quarters), shuffled on {test.Count} later team-quarters ({labelled.First(r => r.QuarterIndex == cut).Quarter} on), {trainer.Options.Permutations} permutations each");
    }
}
