namespace QaAnalytics.Models.Risk;

/// <summary>
/// Everything saved beside the model file (<c>risk-model.json</c>): its version, the data it was
/// trained on, the features, the label definition, the bands and the backtest against the baseline.
/// </summary>
public sealed record RiskModelMetadata(
    int SchemaVersion,
    string ModelVersion,
    DateTimeOffset TrainedAt,
    string TrainedOnSnapshot,
    string TrainingFrom,
    string TrainingTo,
    DateOnly TrainingToStart,
    int TrainingRows,
    int TrainingDeclines,
    IReadOnlyList<string> Features,
    RiskLabel Label,
    string LabelDefinition,
    string Trainer,
    string Baseline,
    int Seed,
    RiskBands Bands,
    RiskEvaluation Evaluation,
    IReadOnlyDictionary<string, double> FeatureMeans,
    IReadOnlyList<PlaceboRun> Placebos)
{
    /// <summary>Bumped when the features, label or trainer change meaning; the rest of the version names the training data.</summary>
    public const string Family = "2";

    /// <summary>The layout of <c>risk-model.json</c> and the model's input columns; a model file of another schema version is refused.</summary>
    public const int CurrentSchemaVersion = 2;
}
