using QaAnalytics.Models.Storage;

namespace QaAnalytics.Models.Risk;

/// <summary>The team-quarters of one published snapshot, as the model reads them.</summary>
public sealed record SnapshotFeatures(string SnapshotId, string File, List<TeamQuarter> Rows)
{
    public int Known => Rows.Count(r => r.Declined is not null);
}

/// <summary>What <see cref="RiskCommands.Train"/> produced.</summary>
public sealed record TrainResult(RiskModel Model, SnapshotFeatures Features);

/// <summary>What <see cref="RiskCommands.Placebo"/> found: the data as loaded first, then each placebo.</summary>
public sealed record PlaceboResult(SnapshotFeatures Features, IReadOnlyList<PlaceboRun> Runs, TimeSpan Elapsed)
{
    public IReadOnlyList<PlaceboRun> Failed => Runs.Where(r => r.Failed).ToList();
}

/// <summary>What <see cref="RiskCommands.Score"/> did, with the model it scored with.</summary>
public sealed record ScoreResult(RiskModel Model, ScoreReport Report);

/// <summary>
/// The model's commands (<c>qa-ingest model train | evaluate | placebo | score</c>) on a published
/// database path: the work, with no console; the CLI only wires options in and prints what comes back.
/// </summary>
public static class RiskCommands
{
    /// <summary>Backtests, trains on every labelled team-quarter and saves the model, its metadata and model card to <paramref name="modelDir"/>.</summary>
    public static TrainResult Train(string db, string modelDir, RiskModelOptions options, TimeProvider time, bool placebos = true)
    {
        var features = ReadFeatures(db, options.Label);
        var model = RiskModel.Train(features.Rows, features.SnapshotId, options, time,
            placebos ? trainer => RiskPlacebo.Run(features.Rows, features.File, trainer) : null);
        model.Save(modelDir);
        return new TrainResult(model, features);
    }

    /// <summary>The rolling-origin backtest of the model and the baseline on the published snapshot.</summary>
    public static (SnapshotFeatures Features, RiskEvaluation Evaluation) Evaluate(string db, RiskModelOptions options)
    {
        var features = ReadFeatures(db, options.Label);
        RiskModel.Refuse(features.Rows, options);
        return (features, RiskEvaluation.Run(features.Rows, new RiskTrainer(options)));
    }

    /// <summary>The backtest on the data as loaded and on the two placebos, where the model must find nothing.</summary>
    public static PlaceboResult Placebo(string db, RiskModelOptions options)
    {
        var features = ReadFeatures(db, options.Label);
        RiskModel.Refuse(features.Rows, options);
        var trainer = new RiskTrainer(options);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        List<PlaceboRun> runs = [new("data as loaded", RiskEvaluation.Run(features.Rows, trainer), MustNotWin: false), .. RiskPlacebo.Run(features.Rows, features.File, trainer)];
        return new PlaceboResult(features, runs, clock.Elapsed);
    }

    /// <summary>Scores every team-quarter with the model saved in <paramref name="modelDir"/> and publishes a new snapshot with the flags.</summary>
    public static ScoreResult Score(string db, string modelDir, int keep, TimeProvider time)
    {
        var model = RiskModel.Load(modelDir);
        return new ScoreResult(model, RiskScoring.Score(db, model, Path.Combine(modelDir, RiskModel.ModelFile), keep, time));
    }

    /// <summary>The feature table of the snapshot published at <paramref name="db"/>.</summary>
    public static SnapshotFeatures ReadFeatures(string db, RiskLabel label)
    {
        using var snapshot = ReadOnlySnapshot.Open(db);
        return new SnapshotFeatures(snapshot.Id, snapshot.File, RiskFeatureReader.Read(snapshot.Connection, label));
    }
}
