using System.CommandLine;
using QaAnalytics.Ingest.Export;
using Spectre.Console;

namespace QaAnalytics.Ingest.Cli;

public static partial class IngestCli
{
    /// <summary><c>export parquet --out DIR</c>: the published star schema as Hive-partitioned Parquet with a manifest.</summary>
    private static Command ExportCommand()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write (new or empty)", Required = true };
        var parquet = new Command("parquet",
            "Write the published snapshot's fact tables (partitioned by council and financial year) and dimensions as Parquet, with manifest.json naming the snapshot")
        {
            DbOption, output,
        };
        parquet.SetAction(parse => ExportParquet(parse.GetValue(DbOption)!, parse.GetValue(output)!.FullName));
        return new Command("export", "Export the published data for other engines") { parquet };
    }

    internal static int ExportParquet(string dbPath, string outDir) => Guarded("export", () =>
    {
        if (!File.Exists(dbPath)) return Fail(ExitCodes.InputRefused, $"There is no database at {dbPath} yet; run qa-ingest load first.");
        if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any())
        {
            return Fail(ExitCodes.InputRefused, $"{outDir} is not empty: export into a new or empty folder, so no file of an older export is mistaken for this one.");
        }
        var manifest = ParquetExport.Write(dbPath, outDir, DateTimeOffset.UtcNow);
        var table = new Table().AddColumns("table", "path", "partitioned by", "rows", "files");
        foreach (var t in manifest.Tables)
        {
            table.AddRow(t.Name, Markup.Escape(t.Path), string.Join(", ", t.PartitionedBy), t.Rows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), t.Files.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        AnsiConsole.MarkupLineInterpolated($"Exported snapshot {manifest.SnapshotId} to {outDir}:");
        AnsiConsole.Write(table);
        return ExitCodes.Ok;
    });
}
