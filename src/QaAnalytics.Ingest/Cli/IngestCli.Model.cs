using System.CommandLine;
using System.Globalization;
using QaAnalytics.Models.Risk;
using Spectre.Console;

namespace QaAnalytics.Ingest.Cli;

public static partial class IngestCli
{
    private static readonly Option<string> ModelDirOption = new("--model")
    {
        Description = "Folder of the trained model (risk-model.zip, risk-model.json, model-card.md)",
        DefaultValueFactory = _ => Path.Combine("data", "risk-model"),
    };

    private static readonly Option<int> SeedOption = new("--seed") { Description = "Seed of the model: the same data and seed give the same model", DefaultValueFactory = _ => 42 };

    private static readonly Option<double> ScoreDropOption = new("--score-drop") { Description = "Label: fall in the next two quarters' pooled mean grade score below the team's usual that counts as a decline", DefaultValueFactory = _ => RiskLabel.Default.ScoreDrop };

    private static readonly Option<double> ShareDropOption = new("--share-drop") { Description = "Label: fall in the pooled share Good or better (0.15 = 15 points) that counts as a decline", DefaultValueFactory = _ => RiskLabel.Default.ShareDrop };

    private static readonly Option<int> MinAuditsOption = new("--min-audits") { Description = "Label: audits the next two quarters need together", DefaultValueFactory = _ => RiskLabel.Default.MinAudits };

    private static readonly Option<int> MinReferenceAuditsOption = new("--min-reference-audits") { Description = "Label: audits the team's usual level (four quarters up to t) needs", DefaultValueFactory = _ => RiskLabel.Default.MinReferenceAudits };

    private static readonly Option<bool> NoPlaceboOption = new("--no-placebo") { Description = "Skip the two placebo backtests (they triple the training time); the model card then says they were not run" };

    private static RiskModelOptions ModelOptions(ParseResult parse) => new()
    {
        Seed = parse.GetValue(SeedOption),
        Label = new RiskLabel(parse.GetValue(MinAuditsOption), parse.GetValue(MinReferenceAuditsOption), parse.GetValue(ScoreDropOption), parse.GetValue(ShareDropOption)),
    };

    private static Command ModelCommand()
    {
        var command = new Command("model", "The team risk model: train, evaluate (backtest against the baseline), score (flags into a new snapshot)");
        command.Subcommands.Add(TrainCommand());
        command.Subcommands.Add(EvaluateCommand());
        command.Subcommands.Add(ScoreCommand());
        command.Subcommands.Add(PlaceboCommand());
        return command;
    }

    private static Command TrainCommand()
    {
        var command = new Command("train", "Backtest the model against the baseline, then train it on every labelled team-quarter and save it with its metadata and model card")
        {
            DbOption, ModelDirOption, SeedOption, ScoreDropOption, ShareDropOption, MinAuditsOption, MinReferenceAuditsOption, NoPlaceboOption,
        };
        command.SetAction(parse => RunTrain(parse.GetValue(DbOption)!, parse.GetValue(ModelDirOption)!, ModelOptions(parse), placebos: !parse.GetValue(NoPlaceboOption)));
        return command;
    }

    private static Command EvaluateCommand()
    {
        var command = new Command("evaluate", "Print the rolling-origin backtest of the model and the baseline on the published snapshot")
        {
            DbOption, SeedOption, ScoreDropOption, ShareDropOption, MinAuditsOption, MinReferenceAuditsOption,
        };
        command.SetAction(parse => RunEvaluate(parse.GetValue(DbOption)!, ModelOptions(parse)));
        return command;
    }

    private static Command PlaceboCommand()
    {
        var command = new Command("placebo", "Backtest the model against the baseline on the published snapshot and on two placebos where it must find nothing: (a) grades shuffled across audits, (b) pressure, compliance and complaints features shuffled across teams within a quarter. Exits 5 if a placebo claims a win")
        {
            DbOption, SeedOption, ScoreDropOption, ShareDropOption, MinAuditsOption, MinReferenceAuditsOption,
        };
        command.SetAction(parse => RunPlacebo(parse.GetValue(DbOption)!, ModelOptions(parse)));
        return command;
    }

    private static Command ScoreCommand()
    {
        var keep = new Option<int>("--keep") { Description = "Published snapshots to keep on disk", DefaultValueFactory = _ => 3 };
        var top = new Option<int>("--show") { Description = "Flags of the latest quarter to print", DefaultValueFactory = _ => 5 };
        var command = new Command("score", "Score every team-quarter with the trained model and publish a new snapshot with the risk_flags and risk_model tables")
        {
            DbOption, ModelDirOption, keep, top,
        };
        command.SetAction(parse => RunScore(parse.GetValue(DbOption)!, parse.GetValue(ModelDirOption)!, parse.GetValue(keep), parse.GetValue(top)));
        return command;
    }

    internal static int RunTrain(string db, string modelDir, RiskModelOptions options, bool placebos = true) => Guarded("model command", () =>
    {
        var (model, features) = RiskCommands.Train(db, modelDir, options, TimeProvider.System, placebos);
        var m = model.Metadata;
        Console.WriteLine(ModelCard.Backtest(m.Evaluation));
        if (m.Placebos.Count > 0) Console.WriteLine(ModelCard.PlaceboTable([new PlaceboRun("data as trained on", m.Evaluation, MustNotWin: false), .. m.Placebos]));
        Console.WriteLine(ModelCard.FirstReasons(model.Score(features.Rows)));
        AnsiConsole.MarkupLineInterpolated(
            $"Model {m.ModelVersion} trained on {m.TrainingRows:N0} team-quarters ({m.TrainingFrom} to {m.TrainingTo}, {m.TrainingDeclines:N0} declines) of snapshot {features.SnapshotId}; saved to {Path.GetFullPath(modelDir)} with its metadata and model card.");
        return ExitCodes.Ok;
    });

    internal static int RunEvaluate(string db, RiskModelOptions options) => Guarded("model command", () =>
    {
        var (features, evaluation) = RiskCommands.Evaluate(db, options);
        Console.WriteLine($"Snapshot {features.SnapshotId}: {features.Rows.Count:N0} team-quarters, {features.Known:N0} with a known outcome.");
        Console.WriteLine(options.Label.Describe());
        Console.WriteLine();
        Console.WriteLine(ModelCard.Backtest(evaluation));
        return ExitCodes.Ok;
    });

    internal static int RunPlacebo(string db, RiskModelOptions options) => Guarded("model command", () =>
    {
        var result = RiskCommands.Placebo(db, options);
        Console.WriteLine($"Snapshot {result.Features.SnapshotId}: {result.Features.Rows.Count:N0} team-quarters, {result.Features.Known:N0} with a known outcome; seed {options.Seed}.");
        Console.WriteLine(options.Label.Describe());
        Console.WriteLine();
        Console.WriteLine(ModelCard.PlaceboTable(result.Runs));
        Console.WriteLine($"{result.Elapsed.TotalSeconds:0.0} s");
        foreach (var f in result.Failed) AnsiConsole.MarkupLineInterpolated($"[red]FAILED: {f.Name} claims a win; the verdict cannot be trusted.[/]");
        return result.Failed.Count == 0 ? ExitCodes.Ok : ExitCodes.Unexpected;
    });

    internal static int RunScore(string db, string modelDir, int keep, int show) => Guarded("model command", () =>
    {
        var (model, report) = RiskCommands.Score(db, modelDir, keep, TimeProvider.System);
        // The verdict comes before any flag: where there is no evidence, the reader must know first.
        var evaluation = model.Metadata.Evaluation;
        if (evaluation.BeatsBaseline) AnsiConsole.MarkupLineInterpolated($"[green]{evaluation.Verdict}[/]");
        else AnsiConsole.MarkupLineInterpolated($"[yellow]{evaluation.Verdict}[/]");
        DateOnly? latest = report.Flags.Count == 0 ? null : report.Flags.Max(f => f.QuarterStart);
        var current = report.Flags.Where(f => f.QuarterStart == latest).ToList();
        AnsiConsole.MarkupLineInterpolated(
            $"Scored {report.Flags.Count:N0} team-quarters of snapshot {report.ScoredSnapshotId} with model {report.ModelVersion}; published snapshot {report.RunId} (risk_flags, risk_model) in {report.Elapsed.TotalSeconds:0.0} s.");
        if (current.Count > 0)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"{current[0].Quarter}: {current.Count(f => f.Band == "high")} high, {current.Count(f => f.Band == "watch")} watch, {current.Count(f => f.Band == "low")} low. A flag is a prompt for a conversation, never a decision.");
            Console.WriteLine(ModelCard.FirstReasons(report.Flags));
            foreach (var f in current.OrderByDescending(f => f.Probability).Take(show))
            {
                AnsiConsole.MarkupLineInterpolated($"  {f.TeamId} {f.TeamName} [bold]{f.Band}[/] {f.Probability.ToString("0.00", CultureInfo.InvariantCulture)}");
                if (f.DriversPressure.Count > 0) AnsiConsole.MarkupLineInterpolated($"    pressure, compliance, complaints: {string.Join("; ", f.DriversPressure)}");
                if (f.DriversHistory.Count > 0) AnsiConsole.MarkupLineInterpolated($"    grade history: {string.Join("; ", f.DriversHistory)}");
            }
        }
        return ExitCodes.Ok;
    });
}
