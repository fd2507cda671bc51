using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Transforms;

namespace QaAnalytics.Models.Risk;

/// <summary>
/// Fits the team risk model (FastTree boosted trees with Platt calibration, seeded, one thread) and
/// the baseline it must beat (logistic regression on this quarter's mean grade score and its change
/// since last quarter). Predictions are made in batches through <see cref="ITransformer.Transform"/>,
/// never through a shared <c>PredictionEngine</c> (which is not thread-safe).
/// </summary>
public sealed class RiskTrainer(RiskModelOptions options)
{
    /// <summary>The two features of the baseline: where the grades are and where they were heading.</summary>
    public static readonly string[] BaselineFeatures = ["mean_grade_score", "mean_score_change_1"];

    public const string BaselineDescription =
        "logistic regression on two features: this quarter's mean audit grade score and its change since last quarter";

    public RiskModelOptions Options { get; } = options;

    public string TrainerDescription => $"ML.NET FastTree binary classifier ({Options.Trees} trees, {Options.Leaves} leaves, at least {Options.MinRowsPerLeaf} rows a leaf, learning rate {Options.LearningRate}), Platt-calibrated, seed {Options.Seed}; missing figures replaced by the training mean";

    /// <summary>The fitted model: missing values → feature vector → calibrated trees; and the same with per-row feature contributions appended.</summary>
    public sealed record Fitted(MLContext Context, ITransformer Model, ITransformer WithContributions, DataViewSchema InputSchema);

    public Fitted FitModel(IEnumerable<TeamQuarter> rows)
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
        var chain = Prepare(ml, RiskFeatures.Columns).Append(trainer).Fit(data);
        var contributions = ml.Transforms.CalculateFeatureContribution(chain.LastTransformer,
            numberOfPositiveContributions: RiskFeatures.Columns.Length, numberOfNegativeContributions: RiskFeatures.Columns.Length, normalize: false);
        var withContributions = chain.Append(contributions.Fit(chain.Transform(data)));
        return new Fitted(ml, chain, withContributions, data.Schema);
    }

    public ITransformer FitBaseline(IEnumerable<TeamQuarter> rows)
    {
        var ml = new MLContext(Options.Seed);
        var data = ml.Data.LoadFromEnumerable(rows);
        return Prepare(ml, BaselineFeatures)
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new Microsoft.ML.Trainers.LbfgsLogisticRegressionBinaryTrainer.Options
            {
                NumberOfThreads = 1,
            }))
            .Fit(data);
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
