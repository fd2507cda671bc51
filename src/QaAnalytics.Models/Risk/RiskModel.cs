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

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

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
    /// <param name="rows">The snapshot's feature table.</param>
    /// <param name="snapshotId">The snapshot it was read from.</param>
    /// <param name="options">Training and evaluation settings.</param>
    /// <param name="time">The clock of <see cref="RiskModelMetadata.TrainedAt"/>.</param>
    /// <param name="placebos">Backtests the placebos (<see cref="RiskPlacebo.Run"/>) for the model card; none when null.</param>
    public static RiskModel Train(IReadOnlyList<TeamQuarter> rows, string snapshotId, RiskModelOptions options, TimeProvider time,
        Func<RiskTrainer, IReadOnlyList<PlaceboRun>>? placebos = null)
    {
        var trainer = new RiskTrainer(options);
        Refuse(rows, options);
        var labelled = rows.Where(r => r.Declined is not null).ToList();
        var evaluation = RiskEvaluation.Run(rows, trainer);
        return Fit(labelled, snapshotId, options, time, evaluation, placebos?.Invoke(trainer) ?? []);
    }

    /// <summary>Refuses a snapshot the model can not learn from, saying what is missing: never a silent empty model.</summary>
    public static void Refuse(IReadOnlyList<TeamQuarter> rows, RiskModelOptions options)
    {
        if (rows.Count == 0 || rows.All(r => float.IsNaN(r.Audits) || r.Audits == 0))
        {
            throw new RiskModelException("The snapshot holds no case audits: the model learns from audit grades, so load audits.csv first.");
        }
        var labelled = rows.Where(r => r.Declined is not null).ToList();
        var label = options.Label;
        var quarters = rows.Select(r => r.QuarterIndex).Distinct().Count();
        if (labelled.Count == 0)
        {
            throw new RiskModelException(
                $"Too little history to train: no team-quarter has a known outcome. A label needs the four quarters up to it ({label.MinReferenceAudits}+ audits) and the two after it ({label.MinAudits}+ audits), so at least 7 quarters of audits; the snapshot has {quarters}.");
        }
        var declines = labelled.Count(r => r.Declined == true);
        if (declines == 0 || declines == labelled.Count)
        {
            throw new RiskModelException(
                $"Every one of the {labelled.Count:N0} labelled team-quarters is {(declines == 0 ? "a non-decline" : "a decline")}: there is nothing to tell apart. Check the label thresholds (score drop {label.ScoreDrop}, share drop {label.ShareDrop}) or load more history.");
        }
        if (!RiskEvaluation.Trainable(labelled, options))
        {
            throw new RiskModelException(
                $"Too little labelled history to train: {labelled.Count} team-quarters with a known outcome, {declines} declines (at least {options.MinPositives} declines and {options.MinPositives} non-declines are needed).");
        }
    }

    /// <summary>Fits the final model only (the benchmark times this; <see cref="Train"/> adds the backtest).</summary>
    public static RiskModel Fit(IReadOnlyList<TeamQuarter> labelled, string snapshotId, RiskModelOptions options, TimeProvider time, RiskEvaluation evaluation,
        IReadOnlyList<PlaceboRun> placebos)
    {
        var trainer = new RiskTrainer(options);
        var fitted = trainer.FitModel(labelled, evaluation.Calibrator);
        var bands = RiskBands.From(labelled, options);
        if (!evaluation.BeatsBaseline) bands = bands.Widen(options.NoEvidenceWidening);
        var means = RiskFeatures.Columns.ToDictionary(c => c, c => labelled.Select(r => (double)r.Value(c)).Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Average(), StringComparer.Ordinal);
        var first = labelled.MinBy(r => r.QuarterStart)!;
        var last = labelled.MaxBy(r => r.QuarterStart)!;
        var metadata = new RiskModelMetadata(
            RiskModelMetadata.CurrentSchemaVersion, Version(labelled, last, options), time.GetUtcNow(), snapshotId,
            first.Quarter, last.Quarter, last.QuarterStart, labelled.Count, labelled.Count(r => r.Declined == true),
            RiskFeatures.Columns, options.Label, options.Label.Describe(), trainer.TrainerDescription(evaluation.Calibrator), RiskTrainer.BaselineDescription(options), options.Seed,
            bands, evaluation, means, placebos);
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
        var text = File.ReadAllText(json);
        var schemaVersion = 0;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.TryGetProperty(nameof(RiskModelMetadata.SchemaVersion), out var v) && v.TryGetInt32(out var n)) schemaVersion = n;
        }
        catch (JsonException ex)
        {
            throw new RiskModelException($"{json} is not a model metadata file: {ex.Message}");
        }
        if (schemaVersion != RiskModelMetadata.CurrentSchemaVersion)
        {
            throw new RiskModelException(
                $"{json} is a model of schema version {(schemaVersion == 0 ? "1 (no version recorded)" : schemaVersion.ToString(CultureInfo.InvariantCulture))}, but this qa-ingest reads schema version {RiskModelMetadata.CurrentSchemaVersion}: retrain with qa-ingest model train.");
        }
        var metadata = JsonSerializer.Deserialize<RiskModelMetadata>(text, Json)
            ?? throw new RiskModelException($"{json} is empty.");
        var transformer = new MLContext(0).Model.Load(zip, out var schema);
        return new RiskModel(transformer, schema, metadata);
    }

    /// <summary>Flags for every row (in one batch), each with its band and the reasons that raised it most.</summary>
    public List<RiskFlag> Score(IReadOnlyList<TeamQuarter> rows, int reasons = 3)
    {
        if (rows.Count == 0) return [];
        var explained = RiskTrainer.Explain(Transformer, rows);
        var flags = new List<RiskFlag>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var (probability, contributions) = explained[i];
            // Only features whose own contribution raises this team's risk, and only where the
            // figure itself moved the way that raises it; one reason per measure.
            var described = contributions.Select((c, k) => (Contribution: c, Feature: RiskFeatures.All[k]))
                .Where(x => x.Contribution > 0)
                .OrderByDescending(x => x.Contribution).ThenBy(x => x.Feature.Column, StringComparer.Ordinal)
                .Select(x => (x.Feature, Reason: RiskReasons.Describe(x.Feature, row, Metadata.FeatureMeans)))
                .Where(x => x.Reason is not null)
                .DistinctBy(x => x.Reason!.Value.Key, StringComparer.Ordinal)
                .Select(x => (x.Feature, Text: x.Reason!.Value.Text))
                .ToList();
            var top = described.Take(reasons).ToList();
            flags.Add(new RiskFlag(row.LaCode, row.ServiceArea, row.TeamId, row.TeamName, row.Quarter, row.QuarterStart,
                probability, Metadata.Bands.Band(probability),
                top.Select(x => x.Text).ToList(), top.Select(x => x.Feature.Column).ToList(),
                float.IsNaN(row.Audits) ? 0 : (long)row.Audits, row.QuarterStart <= Metadata.TrainingToStart,
                described.Where(x => !x.Feature.History).Take(reasons).Select(x => x.Text).ToList(),
                described.Where(x => x.Feature.History).Take(reasons).Select(x => x.Text).ToList()));
        }
        return flags;
    }
}
