using System.CommandLine;
using Microsoft.Extensions.Logging;
using QaAnalytics.Ingest.Loading;
using Spectre.Console;

namespace QaAnalytics.Ingest.Cli;

/// <summary>The <c>qa-ingest</c> command line: sample, load, status, rejects, model (train, evaluate, score), report, demo.</summary>
public static partial class IngestCli
{
    private static readonly Option<string> DbOption = new("--db")
    {
        Description = "Database path readers open (a link to the newest snapshot)",
        DefaultValueFactory = _ => Path.Combine("data", "qa.duckdb"),
    };

    private const int RedirectedWidth = 1000;

    /// <summary>Parses and runs a command line; parse errors exit with <see cref="ExitCodes.Usage"/>.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken ct = default)
    {
        // `qa-ingest help [command]` is what people type first: the same as --help.
        if (args is ["help", .. var command]) args = [.. command, "--help"];
        // Redirected to a file or a pipe, Spectre assumes 80 columns and wraps table cells (run ids,
        // reasons) mid-word; a wide canvas keeps each row on one line.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = RedirectedWidth;
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine(error.Message);
            Console.Error.WriteLine("Run qa-ingest --help for usage.");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(cancellationToken: ct);
    }

    public static RootCommand Build()
    {
        var root = new RootCommand("QaAnalytics ingest: load audit, KPI and complaints extracts into the DuckDB star schema.");
        root.Subcommands.Add(SampleCommand());
        root.Subcommands.Add(LoadCommand());
        root.Subcommands.Add(StatusCommand());
        root.Subcommands.Add(RejectsCommand());
        root.Subcommands.Add(ModelCommand());
        root.Subcommands.Add(ReportCommand());
        root.Subcommands.Add(DemoCommand());
        root.Subcommands.Add(KeysCommand());
        root.Subcommands.Add(ExportCommand());
        return root;
    }

    private static Command LoadCommand()
    {
        var from = new Option<DirectoryInfo>("--from") { Description = "Folder holding the input files", Required = true };
        var laCode = new Option<string?>("--la-code") { Description = "Council code for files without an la_code column (SSD ssd_department)" };
        var keyFile = new Option<FileInfo?>("--key-file") { Description = $"File holding the pseudonymisation key (else ${Pseudonymiser.KeyVariable})" };
        var demoKey = new Option<bool>("--demo-key") { Description = "Use the built-in demo key: synthetic sample data only" };
        var force = new Option<bool>("--force") { Description = "Load files even if an identical file was loaded before" };
        var keep = new Option<int>("--keep") { Description = "Published snapshots to keep on disk", DefaultValueFactory = _ => 3 };
        keep.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--keep must be 1 or more");
        });
        var failOnRejects = new Option<bool>("--fail-on-rejects") { Description = $"Exit {ExitCodes.Rejects} if any row was rejected" };
        var verbose = new Option<bool>("--verbose") { Description = "Write the load log to standard error" };
        var command = new Command("load", "Validate and load a folder of extracts, then publish a new snapshot")
        {
            DbOption, from, laCode, keyFile, demoKey, force, keep, failOnRejects, verbose,
        };
        command.SetAction(async (parse, ct) =>
        {
            var request = new LoadRequest(parse.GetValue(DbOption)!, parse.GetValue(from)!.FullName, parse.GetValue(laCode), parse.GetValue(force), parse.GetValue(keep));
            return await RunLoad(request, parse.GetValue(keyFile), parse.GetValue(demoKey), parse.GetValue(failOnRejects), parse.GetValue(verbose), ct);
        });
        return command;
    }

    internal static async Task<int> RunLoad(LoadRequest request, FileInfo? keyFile, bool demoKey, bool failOnRejects, bool verbose, CancellationToken ct)
    {
        try
        {
            var key = ResolveKey(keyFile, demoKey);
            using var logs = LoggerFactory.Create(b => b
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .AddFilter(_ => verbose));
            var loader = new Loader(key, TimeProvider.System, logs.CreateLogger<Loader>());
            LoadReport report;
            if (AnsiConsole.Profile.Capabilities.Interactive)
            {
                report = await AnsiConsole.Progress().StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("Loading", maxValue: 1);
                    var progress = new Progress<LoadProgress>(p =>
                    {
                        task.MaxValue = p.FileCount;
                        task.Value = p.FileIndex;
                        task.Description = $"{p.Phase} {p.FileName}";
                    });
                    return await loader.LoadAsync(request, progress, ct);
                });
            }
            else
            {
                report = await loader.LoadAsync(request, new InlineProgress(p =>
                {
                    if (p.Phase == "loading") Console.WriteLine($"[{p.FileIndex + 1}/{p.FileCount}] loading {p.FileName}");
                }), ct);
            }
            PrintReport(report, request.DbPath);
            if (report.Failed) return ExitCodes.InputRefused;
            return failOnRejects && report.RowsRejected > 0 ? ExitCodes.Rejects : ExitCodes.Ok;
        }
        catch (Exception ex)
        {
            return Fail(ex, "load");
        }
    }

    private static Pseudonymiser? ResolveKey(FileInfo? keyFile, bool demoKey)
    {
        if (demoKey) return Pseudonymiser.Demo();
        if (keyFile is not null)
        {
            if (!keyFile.Exists) throw new PseudonymKeyException($"The key file {keyFile.FullName} does not exist.");
            return Pseudonymiser.FromText(File.ReadAllText(keyFile.FullName));
        }
        var fromEnvironment = Environment.GetEnvironmentVariable(Pseudonymiser.KeyVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? null : Pseudonymiser.FromText(fromEnvironment);
    }

    private static void PrintReport(LoadReport report, string dbPath)
    {
        var table = new Table().AddColumns("File", "Status", "Read", "Accepted", "Rejected", "New", "Replaced");
        foreach (var f in report.Files)
        {
            table.AddRow(Markup.Escape(f.FileName), f.Status, N(f.RowsRead), N(f.RowsAccepted), N(f.RowsRejected), N(f.RowsNew), N(f.RowsReplaced));
        }
        AnsiConsole.Write(table);
        foreach (var f in report.Files.Where(f => f.Message is not null))
        {
            AnsiConsole.MarkupLineInterpolated($"  {f.FileName}: {f.Message}");
        }
        foreach (var ignored in report.IgnoredFiles)
        {
            AnsiConsole.MarkupLineInterpolated($"  ignored {ignored}: not a file name of the data contract");
        }
        if (report.DemoKey)
        {
            AnsiConsole.MarkupLine("  [yellow]Child ids were pseudonymised with the DEMO key: use this database for synthetic data only.[/]");
        }
        if (report.Failed)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]Load {report.RunId} failed and changed no data:[/] {report.Error}");
        }
        else if (report.NothingChanged)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"Load {report.RunId}: every file is unchanged (identical to one already loaded), so nothing was published; {dbPath} still serves {Path.GetFileName(report.SnapshotPath ?? dbPath)}. Use --force to load them again.");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated(
                $"Load {report.RunId} published to {dbPath} in {report.Elapsed.TotalSeconds:0.0} s: {report.RowsRead:N0} rows read = {report.RowsAccepted:N0} accepted + {report.RowsRejected:N0} rejected.");
            if (report.RowsRejected > 0)
            {
                AnsiConsole.MarkupLineInterpolated($"  See why with: qa-ingest status --db {dbPath}");
            }
        }

        static string N(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static int Fail(int code, string message)
    {
        Console.Error.WriteLine(message);
        return code;
    }

    /// <summary>Runs <paramref name="command"/>; whatever it throws exits with the code of <see cref="ExitCodes.Of"/>.</summary>
    internal static int Guarded(string command, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex)
        {
            return Fail(ex, command);
        }
    }

    /// <summary>Prints the failure of <paramref name="command"/> and returns its exit code (<see cref="ExitCodes.Of"/>).</summary>
    internal static int Fail(Exception exception, string command)
    {
        var (code, message) = ExitCodes.Of(exception, command);
        return Fail(code, message);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool and can print out of order).</summary>
    private sealed class InlineProgress(Action<LoadProgress> report) : IProgress<LoadProgress>
    {
        public void Report(LoadProgress value) => report(value);
    }
}
