using Microsoft.ML;
using Microsoft.ML.Data;

namespace QaAnalytics.Models.Risk;

/// <summary>One quarter of the rolling-origin backtest: trained on every labelled quarter before it, tested on it.</summary>
public sealed record BacktestFold(string Quarter, int TrainRows, int TestRows, int Declines, double Threshold,
    double? ModelRocAuc, double? BaselineRocAuc, double? ModelPrAuc, double? BaselinePrAuc);

/// <summary>One feature's permutation importance: how much the held-out ROC-AUC and PR-AUC fall when its values are shuffled.</summary>
public sealed record FeatureImportance(int Rank, string Feature, string Words, double RocAucDrop, double PrAucDrop, bool Pressure);

/// <summary>
/// The model judged on periods it has not seen, beside the grades-only baseline: the backtest
/// folds, the pooled metrics of both, model minus baseline with bootstrap intervals, the calibrator
/// the backtest chose, and the permutation importance.
/// </summary>
public sealed record RiskEvaluation(
    IReadOnlyList<BacktestFold> Folds, BinaryMetrics Model, BinaryMetrics Baseline, ModelVsBaseline? Margin,
    RiskCalibrator Calibrator, double PlattBrier, double IsotonicBrier,
    IReadOnlyList<FeatureImportance> Importance, string ImportanceWindow)
{
    /// <summary>Evidence that the model adds to the grade history: the 95% intervals of model minus baseline, PR-AUC and ROC-AUC, both wholly above zero.</summary>
    public bool BeatsBaseline => Folds.Count > 0 && Margin is { Evidence: true };

    /// <summary>The verdict in plain words, with the margins and their intervals.</summary>
    public string Verdict =>
        Folds.Count == 0 || Margin is null
            ? "NOT EVALUATED: too little labelled history for a backtest (see the minimum training quarters and declines); there is no evidence the flags mean anything: do not use them."
            : BeatsBaseline
                ? $"The model beats the grades-only baseline: model minus baseline PR-AUC {Margin.PrAuc}, ROC-AUC {Margin.RocAuc} ({Margin.Resamples:N0} bootstrap resamples of {Margin.Teams:N0} teams). The pressure, compliance and complaints signals add to the grade history."
                : $"NO EVIDENCE that the model adds anything to the grade history: model minus baseline PR-AUC {Margin.PrAuc}, ROC-AUC {Margin.RocAuc} ({Margin.Resamples:N0} bootstrap resamples of {Margin.Teams:N0} teams; a win needs both intervals above zero). Read the flags as the grade history alone.";

    /// <summary>
    /// Rolling-origin backtest: for every quarter t with enough history, train on the quarters whose
    /// label was already known at t (index ≤ t − <see cref="RiskLabel.Horizon"/>) and test on t;
    /// then the calibrator with the lower pooled Brier score, the clustered bootstrap of model minus
    /// baseline, and permutation importance of a model trained on the first 70% of labelled quarters.
    /// </summary>
    public static RiskEvaluation Run(IReadOnlyList<TeamQuarter> rows, RiskTrainer trainer)
    {
        var options = trainer.Options;
        var labelled = rows.Where(r => r.Declined is not null).ToList();
        var quarters = labelled.Select(r => r.QuarterIndex).Distinct().Order().ToList();
        var folds = new List<BacktestFold>();
        // [scorer: model, baseline][calibrator: Platt, isotonic]
        var pooled = new[] { new[] { new List<ScoredOutcome>(), new List<ScoredOutcome>() }, new[] { new List<ScoredOutcome>(), new List<ScoredOutcome>() } };
        foreach (var t in quarters)
        {
            var train = labelled.Where(r => r.QuarterIndex <= t - RiskLabel.Horizon).ToList();
            if (train.Select(r => r.QuarterIndex).Distinct().Count() < options.MinTrainingQuarters || !Trainable(train, options)) continue;
            var test = labelled.Where(r => r.QuarterIndex == t).ToList();
            var threshold = RiskBands.From(train, options).High;
            var fitted = new[] { trainer.FitModel(train, bothCalibrators: true), trainer.FitBaseline(train, bothCalibrators: true) };
            var fold = new List<ScoredOutcome>[2];
            for (var s = 0; s < 2; s++)
            {
                foreach (var c in new[] { RiskCalibrator.Platt, RiskCalibrator.Isotonic })
                {
                    var p = RiskTrainer.Probabilities(fitted[s].Calibrated(c), test);
                    var outcomes = test.Select((r, i) => new ScoredOutcome(r.Declined!.Value, p[i], threshold, r.TeamId)).ToList();
                    pooled[s][(int)c].AddRange(outcomes);
                    if (c == RiskCalibrator.Platt) fold[s] = outcomes;
                }
            }
            folds.Add(new BacktestFold(test[0].Quarter, train.Count, test.Count, fold[0].Count(o => o.Declined), threshold,
                BinaryMetrics.AreaUnderRoc(fold[0]), BinaryMetrics.AreaUnderRoc(fold[1]), BinaryMetrics.AveragePrecision(fold[0]), BinaryMetrics.AveragePrecision(fold[1])));
        }
        var plattBrier = Brier(pooled[0][0]);
        var isotonicBrier = Brier(pooled[0][1]);
        var calibrator = isotonicBrier < plattBrier ? RiskCalibrator.Isotonic : RiskCalibrator.Platt;
        // Ranking (AUCs, the margin) is judged on the Platt scores, which keep the trees' order
        // (isotonic steps tie scores); calibration, precision and recall on the chosen calibrator.
        BinaryMetrics Metrics(int s) => BinaryMetrics.Compute(pooled[s][(int)calibrator]) with
        {
            RocAuc = BinaryMetrics.AreaUnderRoc(pooled[s][0]),
            PrAuc = BinaryMetrics.AveragePrecision(pooled[s][0]),
        };
        var margin = folds.Count == 0 ? null : ModelVsBaseline.Bootstrap(pooled[0][0], pooled[1][0], options.BootstrapResamples, options.Seed);
        var (importance, window) = PermutationImportance(labelled, quarters, trainer);
        return new RiskEvaluation(folds, Metrics(0), Metrics(1), margin, calibrator, plattBrier, isotonicBrier, importance, window);
    }

    private static double Brier(List<ScoredOutcome> outcomes) =>
        outcomes.Count == 0 ? double.NaN : outcomes.Average(o => Math.Pow(o.Probability - (o.Declined ? 1 : 0), 2));

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
        var train = labelled.Where(r => r.QuarterIndex <= cut - RiskLabel.Horizon).ToList();
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
