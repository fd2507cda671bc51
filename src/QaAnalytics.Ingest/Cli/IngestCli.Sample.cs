using System.CommandLine;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Ingest.Sample;
using Spectre.Console;

namespace QaAnalytics.Ingest.Cli;

public static partial class IngestCli
{
    private static Command SampleCommand()
    {
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Folder to write the sample files into", Required = true };
        var councils = new Option<int>("--councils") { Description = "Number of councils", DefaultValueFactory = _ => 1 };
        var years = new Option<int>("--years") { Description = "Financial years of data, ending March 2026", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed writes the same bytes", DefaultValueFactory = _ => 42 };
        var dirty = new Option<bool>("--dirty") { Description = "Add realistic bad rows so rejects can be demonstrated" };
        var command = new Command("sample", "Write a deterministic synthetic dataset in the data contract (docs/sample-data.md)")
        {
            outDir, councils, years, seed, dirty,
        };
        command.SetAction(parse =>
        {
            var options = new SampleOptions(parse.GetValue(outDir)!.FullName, parse.GetValue(councils), parse.GetValue(years), parse.GetValue(seed), parse.GetValue(dirty));
            return WriteSample(options);
        });
        return command;
    }

    private static int WriteSample(SampleOptions options)
    {
        SampleSummary summary;
        try
        {
            summary = SampleGenerator.Write(options, new Progress<string>(_ => { }));
        }
        catch (ArgumentException ex)
        {
            return Fail(ExitCodes.Usage, ex.Message);
        }
        var table = new Table().AddColumns("File", "Rows", "Planted bad rows");
        foreach (var f in summary.Files) table.AddRow(Markup.Escape(f.File), f.Rows.ToString("N0"), f.PlantedBadRows.ToString("N0"));
        AnsiConsole.Write(table);
        var extractRows = summary.Files.Where(f => !f.File.Contains('/')).Sum(f => f.Rows);
        AnsiConsole.MarkupLineInterpolated(
            $"Wrote {extractRows:N0} extract rows for {options.Councils} council(s) × {options.Years} year(s) to {summary.OutDir} (truth/ holds the planted structure; it is not loaded)");
        return ExitCodes.Ok;
    }

    /// <summary>Councils in the demo's sample.</summary>
    internal const int DemoCouncils = 12;

    private static Command DemoCommand()
    {
        var dataDir = new Option<DirectoryInfo>("--data") { Description = "Folder for the sample files and the database", DefaultValueFactory = _ => new DirectoryInfo("data") };
        var command = new Command("demo", "The pipeline on the embedded default: write the sample data (with some bad rows), load it with the demo key, show the status, train the risk model and score every team")
        {
            dataDir,
        };
        command.SetAction(async (parse, ct) =>
        {
            var data = parse.GetValue(dataDir)!.FullName;
            var sample = Path.Combine(data, "sample");
            var db = Path.Combine(data, "qa.duckdb");
            // Twelve councils: enough teams for the risk model's verdict to find the planted signal with
            // room to spare (one council's fourteen teams cannot, and the demo would say so; eight
            // find it only just).
            AnsiConsole.MarkupLine($"[bold]1. Sample data[/] ({DemoCouncils} councils, 3 financial years, seed 42, with planted bad rows)");
            var code = WriteSample(new SampleOptions(sample, Councils: DemoCouncils, Dirty: true));
            if (code != ExitCodes.Ok) return code;
            AnsiConsole.MarkupLine("[bold]2. Load into DuckDB[/] (demo pseudonymisation key)");
            code = await RunLoad(new LoadRequest(db, sample), keyFile: null, demoKey: true, failOnRejects: false, verbose: false, ct);
            if (code != ExitCodes.Ok) return code;
            AnsiConsole.MarkupLine("[bold]3. Status[/]");
            code = PrintStatus(db, runs: 3);
            if (code != ExitCodes.Ok) return code;
            var model = Path.Combine(data, "risk-model");
            AnsiConsole.MarkupLine("[bold]4. Team risk model[/]: backtest against the grades-only baseline, the verdict, then train (ML.NET FastTree, seed 42; `qa-ingest model placebo` runs the placebo checks)");
            code = RunTrain(db, model, new QaAnalytics.Models.Risk.RiskModelOptions { Seed = 42 }, placebos: false);
            if (code != ExitCodes.Ok) return code;
            AnsiConsole.MarkupLine("[bold]5. Score[/]: flags for every team and quarter, published as a new snapshot");
            return RunScore(db, model, keep: 3, show: 5);
        });
        return command;
    }
}
