using System.CommandLine;
using Microsoft.Extensions.Options;
using QaAnalytics.Service;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Reports;
using QaAnalytics.Service.Security;
using QaAnalytics.Service.Snapshots;
using Spectre.Console;

namespace QaAnalytics.Ingest.Cli;

public static partial class IngestCli
{
    private static Command ReportCommand()
    {
        var council = new Option<string>("--council") { Description = "The council's LA code, e.g. 938", Required = true };
        var year = new Option<string>("--year") { Description = "Financial year, e.g. 2024/25 (April 2024 to March 2025)", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the HTML and PDF", Required = true };
        var suppress = new Option<int>("--suppress-below-or-at")
        {
            Description = "Withhold counts from 1 to this (as the service's QaAnalytics:SuppressBelowOrAt); 0 shows small counts (internal use)",
            DefaultValueFactory = _ => new ServiceOptions().SuppressBelowOrAt,
        };
        var command = new Command("report",
            "Write the self-evaluation evidence pack of one council and year: HTML, and a PDF printed by headless Chromium, with the service's figures")
        {
            DbOption, council, year, output, suppress,
        };
        command.SetAction((parse, ct) => Report(parse.GetValue(DbOption)!, parse.GetValue(council)!, parse.GetValue(year)!,
            parse.GetValue(output)!.FullName, parse.GetValue(suppress), ct));
        return command;
    }

    internal static async Task<int> Report(string dbPath, string council, string year, string outDir, int suppressBelowOrAt, CancellationToken ct)
    {
        if (!File.Exists(dbPath)) return Fail(ExitCodes.InputRefused, $"There is no database at {dbPath} yet; run qa-ingest load first.");
        var options = Options.Create(new ServiceOptions { DatabasePath = Path.GetFullPath(dbPath), SuppressBelowOrAt = suppressBelowOrAt });
        using var snapshots = new SnapshotSource(options);
        var queries = new AnalyticsQueries(snapshots, options);
        // The pack is a director's view of their own council, exactly as the service would answer one.
        var caller = new Caller("qa-ingest report", Role.Director, council.Trim(), null, null);
        EvidencePack pack;
        try
        {
            pack = await EvidencePack.BuildAsync(queries, caller, council, year, ct);
        }
        catch (Exception ex)
        {
            return Fail(ex, "report");
        }
        if (pack.Grades.Rows.Count == 0 && pack.Requests.Rows.Count == 0)
        {
            return Fail(ExitCodes.InputRefused, $"Snapshot {pack.SnapshotId} holds no audits or audit requests of council {pack.Council} in {pack.Year}; qa-ingest status lists what is loaded.");
        }
        try
        {
            var (html, pdf) = await EvidencePackHtml.WriteAsync(pack, outDir, ct);
            AnsiConsole.MarkupLineInterpolated($"Evidence pack of council {pack.Council}, {pack.Year} (snapshot {pack.SnapshotId}): {EvidencePackHtml.Sections.Length} sections");
            AnsiConsole.MarkupLineInterpolated($"  {html}");
            AnsiConsole.MarkupLineInterpolated($"  {pdf}");
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidOperationException or TimeoutException)
        {
            return Fail(ExitCodes.Unexpected, $"The HTML is in {outDir}, but the PDF could not be printed: {ex.Message}");
        }
    }
}
