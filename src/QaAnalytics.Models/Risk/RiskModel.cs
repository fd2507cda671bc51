using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.ML;

namespace QaAnalytics.Models.Risk;

/// <summary>The model can not be trained or used as asked (too little history, missing files).</summary>
public sealed class RiskModelException(string message) : Exception(message);

/// <summary>
/// The trained team risk model: the ML.NET transformer (features → calibrated FastTree → per-row
/// feature contributions) and its metadata. Trained once, saved as <c>risk-model.zip</c> with
/// <c>risk-model.json</c> and <c>model-card.md</c> beside it; scoring loads it and transforms a
/// whole batch at once.
/// </summary>
public sealed class RiskModel
{
    public const string ModelFile = "risk-model.zip";
    public const string MetadataFile = "risk-model.json";
    public const string CardFile = "model-card.md";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private RiskModel(ITransformer transformer, DataViewSchema schema, RiskModelMetadata metadata)
    {
        Transformer = transformer;
        InputSchema = schema;
        Metadata = metadata;
    }

    public ITransformer Transformer { get; }

    public DataViewSchema InputSchema { get; }

    public RiskModelMetadata Metadata { get; }

    /// <summary>
    /// Backtests the model against the baseline, then fits the final model on every labelled
    /// team-quarter of <paramref name="rows"/>.
    /// </summary>
    public static RiskModel Train(IReadOnlyList<TeamQuarter> rows, string snapshotId, RiskModelOptions options, TimeProvider time)
    {
        var trainer = new RiskTrainer(options);
        var labelled = rows.Where(r => r.Declined is not null).ToList();
        if (labelled.Count == 0 || !RiskEvaluation.Trainable(labelled, options))
        {
            throw new RiskModelException(
                $"Too little labelled history to train: {labelled.Count} team-quarters with a known outcome, {labelled.Count(r => r.Declined == true)} declines (at least {options.MinPositives} declines and {options.MinPositives} non-declines are needed).");
        }
        var evaluation = RiskEvaluation.Run(rows, trainer);
        return Fit(labelled, snapshotId, options, time, evaluation);
    }

    /// <summary>Fits the final model only (the benchmark times this; <see cref="Train"/> adds the backtest).</summary>
    public static RiskModel Fit(IReadOnlyList<TeamQuarter> labelled, string snapshotId, RiskModelOptions options, TimeProvider time, RiskEvaluation evaluation)
    {
        var trainer = new RiskTrainer(options);
        var fitted = trainer.FitModel(labelled);
        var first = labelled.MinBy(r => r.QuarterStart)!;
        var last = labelled.MaxBy(r => r.QuarterStart)!;
        var metadata = new RiskModelMetadata(
            Version(labelled, last, options), time.GetUtcNow(), snapshotId,
            first.Quarter, last.Quarter, last.QuarterStart, labelled.Count, labelled.Count(r => r.Declined == true),
            RiskFeatures.Columns, options.Label, options.Label.Describe(), trainer.TrainerDescription, RiskTrainer.BaselineDescription, options.Seed,
            RiskBands.From(labelled, options), evaluation);
        return new RiskModel(fitted.WithContributions, fitted.InputSchema, metadata);
    }

    /// <summary>"1.2025-26Q3.1a2b3c4d": family, last training quarter, and a hash of the training data and settings.</summary>
    private static string Version(IReadOnlyList<TeamQuarter> labelled, TeamQuarter last, RiskModelOptions options)
    {
        var text = new StringBuilder(options.ToString());
        foreach (var r in labelled)
        {
            text.Append(r.TeamId).Append(r.Quarter).Append(r.Declined);
            foreach (var c in RiskFeatures.Columns) text.Append(r.Value(c).ToString("R", CultureInfo.InvariantCulture)).Append(',');
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..8];
        return $"{RiskModelMetadata.Family}.{last.Quarter.Replace("/", "-", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal)}.{hash}";
    }

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        new MLContext(Metadata.Seed).Model.Save(Transformer, InputSchema, Path.Combine(directory, ModelFile));
        File.WriteAllText(Path.Combine(directory, MetadataFile), JsonSerializer.Serialize(Metadata, Json));
        File.WriteAllText(Path.Combine(directory, CardFile), ModelCard.Render(Metadata));
    }

    public static RiskModel Load(string directory)
    {
        var zip = Path.Combine(directory, ModelFile);
        var json = Path.Combine(directory, MetadataFile);
        if (!File.Exists(zip) || !File.Exists(json))
        {
            throw new RiskModelException($"No trained model in {Path.GetFullPath(directory)}: run qa-ingest model train first.");
        }
        var transformer = new MLContext(0).Model.Load(zip, out var schema);
        var metadata = JsonSerializer.Deserialize<RiskModelMetadata>(File.ReadAllText(json), Json)
            ?? throw new RiskModelException($"{json} is empty.");
        return new RiskModel(transformer, schema, metadata);
    }

    /// <summary>Flags for every row (in one batch), each with its band and the reasons that raised it most.</summary>
    public List<RiskFlag> Score(IReadOnlyList<TeamQuarter> rows, int reasons = 3)
    {
        if (rows.Count == 0) return [];
        var explained = RiskTrainer.Explain(Transformer, rows);
        var previous = new Dictionary<(string, int), TeamQuarter>();
        foreach (var r in rows) previous.TryAdd((r.TeamId, r.QuarterIndex), r);
        var flags = new List<RiskFlag>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var (probability, contributions) = explained[i];
            var top = contributions.Select((c, k) => (Contribution: c, Feature: RiskFeatures.All[k]))
                .Where(x => x.Contribution > 0 && !float.IsNaN(row.Value(x.Feature.Column)))  // an imputed figure is nothing to act on
                .OrderByDescending(x => x.Contribution).ThenBy(x => x.Feature.Column, StringComparer.Ordinal)
                .Take(reasons).ToList();
            previous.TryGetValue((row.TeamId, row.QuarterIndex - 1), out var before);
            flags.Add(new RiskFlag(row.LaCode, row.ServiceArea, row.TeamId, row.TeamName, row.Quarter, row.QuarterStart,
                probability, Metadata.Bands.Band(probability),
                top.Select(x => RiskReasons.Describe(x.Feature, row, before)).ToList(), top.Select(x => x.Feature.Column).ToList(),
                float.IsNaN(row.Audits) ? 0 : (long)row.Audits, row.QuarterStart <= Metadata.TrainingToStart));
        }
        return flags;
    }
}
