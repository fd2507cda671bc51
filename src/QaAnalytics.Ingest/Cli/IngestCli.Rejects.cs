using System.CommandLine;
using QaAnalytics.Ingest.Export;
using QaAnalytics.Models.Storage;
using Spectre.Console;

namespace QaAnalytics.Ingest.Cli;

public static partial class IngestCli
{
    private static Command RejectsCommand()
    {
        var output = new Option<FileInfo>("--out") { Description = "File to write: .csv (UTF-8) or .xlsx", Required = true };
        output.Validators.Add(r =>
        {
            var name = r.GetValueOrDefault<FileInfo>()?.Name ?? "";
            if (!name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !name.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
            {
                r.AddError("--out must end in .csv or .xlsx");
            }
        });
        var run = new Option<string?>("--run") { Description = "Only this run id, or 'latest' for the most recent load that read files" };
        var file = new Option<string?>("--file") { Description = "Only this input file, e.g. audits.csv" };
        var command = new Command("rejects",
            "Export rejected rows (file, line, column, value, reason) for a person to fix: safe to open in a spreadsheet, never a child id")
        {
            DbOption, output, run, file,
        };
        command.SetAction(parse => ExportRejects(parse.GetValue(DbOption)!, parse.GetValue(output)!.FullName, parse.GetValue(run), parse.GetValue(file)));
        return command;
    }

    internal static int ExportRejects(string dbPath, string outPath, string? runId, string? fileName) => Guarded("rejects export", () =>
    {
        if (!File.Exists(dbPath))
        {
            return Fail(ExitCodes.InputRefused, $"There is no database at {dbPath} yet; run qa-ingest load first.");
        }
        using var snapshot = ReadOnlySnapshot.Open(dbPath);
        var connection = snapshot.Connection;
        if (string.Equals(runId, "latest", StringComparison.OrdinalIgnoreCase))
        {
            runId = connection.Scalar<string?>("SELECT max(run_id) FROM ingest_runs WHERE status = 'loaded'");
            if (runId is null) return Fail(ExitCodes.InputRefused, $"No load in {dbPath} has read a file yet, so there are no rejects to export.");
        }
        else if (runId is not null && connection.Scalar<long>("SELECT count(*) FROM ingest_runs WHERE run_id = $run", ("run", runId)) == 0)
        {
            return Fail(ExitCodes.InputRefused, $"There is no run {runId} in {dbPath}; qa-ingest status lists the recent runs.");
        }
        var rows = RejectExport.Read(connection, runId, fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        RejectExport.Write(outPath, rows);
        AnsiConsole.MarkupLineInterpolated(
            $"Wrote {rows.Count:N0} reject(s){(runId is null ? "" : $" of run {runId}")}{(fileName is null ? "" : $" in {fileName}")} to {outPath}");
        return ExitCodes.Ok;
    });
}
