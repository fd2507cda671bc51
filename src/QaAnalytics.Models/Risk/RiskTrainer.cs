using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Transforms;

namespace QaAnalytics.Models.Risk;

/// <summary>How raw tree scores become probabilities: chosen by backtest Brier score (<see cref="RiskEvaluation"/>).</summary>
public enum RiskCalibrator
{
    /// <summary>Platt scaling: a logistic curve on the score.</summary>
    Platt,

    /// <summary>Isotonic regression: a monotone step function on the score.</summary>
    Isotonic,
}

/// <summary>
/// Fits the team risk model (FastTree boosted trees on every feature, seeded, one thread) and the
/// grades-only baseline it must beat (the same trainer on the grade-history features alone, so the
/// model's margin is what the pressure, compliance and complaints signals add), each calibrated
/// by Platt scaling or isotonic regression. Predictions are made in batches through
/// <see cref="ITransformer.Transform"/>, never through a shared <c>PredictionEngine</c> (which is not thread-safe).
/// </summary>
public sealed class RiskTrainer(RiskModelOptions options)
{
    public static string BaselineDescription(RiskModelOptions options) =>
        $"grades-only model: the same boosted trees on the grade history alone ({string.Join(", ", RiskFeatures.HistoryColumns)}); the model's margin over it is what the pressure, compliance and complaints signals add";

    public RiskModelOptions Options { get; } = options;

    public string TrainerDescription(RiskCalibrator calibrator) =>
        $"ML.NET FastTree binary classifier ({Options.Trees} trees, {Options.Leaves} leaves, at least {Options.MinRowsPerLeaf} rows a leaf, learning rate {Options.LearningRate}), {(calibrator == RiskCalibrator.Platt ? "Platt" : "isotonic")}-calibrated (chosen by backtest Brier score), seed {Options.Seed}; missing figures replaced by the training mean";

    /// <summary>
    /// The fitted model: missing values → feature vector → trees with Platt calibration; the same
    /// recalibrated by isotonic regression; and the chosen one with per-row feature contributions appended.
    /// </summary>
    public sealed record Fitted(MLContext Context, ITransformer Model, ITransformer? Isotonic, ITransformer WithContributions, DataViewSchema InputSchema)
    {
        public ITransformer Calibrated(RiskCalibrator calibrator) => calibrator == RiskCalibrator.Platt
            ? Model
            : Isotonic ?? throw new InvalidOperationException("fitted without the isotonic calibrator");
    }

    /// <summary>The model on every feature, with contributions explained through <paramref name="calibrator"/>; <paramref name="bothCalibrators"/> fits isotonic too (the backtest compares them).</summary>
    public Fitted FitModel(IEnumerable<TeamQuarter> rows, RiskCalibrator calibrator = RiskCalibrator.Platt, bool bothCalibrators = false) =>
        Fit(rows, RiskFeatures.Columns, calibrator, bothCalibrators);

    /// <summary>The grades-only baseline: the same trainer on the grade-history features.</summary>
    public Fitted FitBaseline(IEnumerable<TeamQuarter> rows, RiskCalibrator calibrator = RiskCalibrator.Platt, bool bothCalibrators = false) =>
        Fit(rows, RiskFeatures.HistoryColumns, calibrator, bothCalibrators);

    private Fitted Fit(IEnumerable<TeamQuarter> rows, string[] columns, RiskCalibrator calibrator, bool bothCalibrators)
    {
        var ml = new MLContext(Options.Seed);
        var data = ml.Data.LoadFromEnumerable(rows);
        var trainer = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = Options.Trees,
            NumberOfLeaves = Options.Leaves,
            MinimumExampleCountPerLeaf = Options.MinRowsPerLeaf,
            LearningRate = Options.LearningRate,
            NumberOfThreads = Options.Threads,
            Seed = Options.Seed,
            FeatureColumnName = "Features",
            LabelColumnName = "Label",
        });
        var chain = Prepare(ml, columns).Append(trainer).Fit(data);
        var scored = chain.Transform(data);
        var steps = ((IEnumerable<ITransformer>)chain).ToList();
        ITransformer? isotonicStep = bothCalibrators || calibrator == RiskCalibrator.Isotonic ? ml.BinaryClassification.Calibrators.Isotonic().Fit(scored) : null;
        var isotonic = isotonicStep is null ? null : new TransformerChain<ITransformer>([.. steps, isotonicStep]);
        // Contributions are per feature slot of the vector, in the order of the columns.
        ITransformer contributions = ml.Transforms.CalculateFeatureContribution(chain.LastTransformer,
            numberOfPositiveContributions: columns.Length, numberOfNegativeContributions: columns.Length, normalize: false).Fit(scored);
        var withContributions = new TransformerChain<ITransformer>(calibrator == RiskCalibrator.Platt
            ? [.. steps, contributions]
            : [.. steps, isotonicStep!, contributions]);
        return new Fitted(ml, chain, isotonic, withContributions, data.Schema);
    }

    private static EstimatorChain<ColumnConcatenatingTransformer> Prepare(MLContext ml, string[] columns) =>
        ml.Transforms.ReplaceMissingValues(columns.Select(c => new InputOutputColumnPair(c)).ToArray(), MissingValueReplacingEstimator.ReplacementMode.Mean)
            .Append(ml.Transforms.Concatenate("Features", columns));

    /// <summary>Calibrated probabilities of decline, in row order.</summary>
    public static double[] Probabilities(ITransformer model, IReadOnlyList<TeamQuarter> rows)
    {
        var ml = new MLContext(0);
        var scored = model.Transform(ml.Data.LoadFromEnumerable(rows));
        return ml.Data.CreateEnumerable<ProbabilityRow>(scored, reuseRowObject: false).Select(r => (double)r.Probability).ToArray();
    }

    /// <summary>Probabilities and per-feature contributions to the score (vector order of <see cref="RiskFeatures.All"/>), in row order.</summary>
    public static List<(double Probability, float[] Contributions)> Explain(ITransformer withContributions, IReadOnlyList<TeamQuarter> rows)
    {
        var ml = new MLContext(0);
        var scored = withContributions.Transform(ml.Data.LoadFromEnumerable(rows));
        return ml.Data.CreateEnumerable<ExplainedRow>(scored, reuseRowObject: false)
            .Select(r => ((double)r.Probability, r.FeatureContributions)).ToList();
    }

    private sealed class ProbabilityRow
    {
        public float Probability { get; set; }
    }

    private sealed class ExplainedRow
    {
        public float Probability { get; set; }

        public float[] FeatureContributions { get; set; } = [];
    }
}
