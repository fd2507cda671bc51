using System.Data;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using MiniExcelLibs;
using QaAnalytics.Models.Csv;
using QaAnalytics.Models.Export;
using QaAnalytics.Models.Storage;

namespace QaAnalytics.Ingest.Export;

/// <summary>One reject as a person fixing the file sees it.</summary>
public sealed record RejectRow(string RunId, string FileName, long LineNo, string? ColumnName, string? Value, string Reason);

/// <summary>
/// Exports <c>ingest_rejects</c> for a person to fix the source files, as CSV (UTF-8 with a BOM, so
/// Excel reads it as UTF-8) or XLSX. Every text cell goes through <see cref="FormulaGuard"/>; a
/// <c>child_id</c> value is withheld whatever the table holds (the loader never stores one); long
/// values are cut to <see cref="MaxValueLength"/> characters, well inside Excel's 32,767 per cell.
/// </summary>
public static class RejectExport
{
    public const int MaxValueLength = 1_000;

    public const string Withheld = "(withheld: child ids are never exported)";

    public static readonly IReadOnlyList<string> Columns = ["run_id", "file_name", "line_no", "column_name", "value", "reason"];

    /// <summary>The rejects of one run and/or one file (null = all), in file and line order.</summary>
    public static List<RejectRow> Read(DuckDBConnection connection, string? runId, string? fileName)
    {
        using var cmd = connection.Command("""
            SELECT run_id, file_name, line_no, column_name, value, reason FROM ingest_rejects
            WHERE ($run IS NULL OR run_id = $run) AND ($file IS NULL OR file_name = $file)
            ORDER BY run_id, file_name, line_no, column_name
            """, ("run", runId), ("file", fileName));
        using var reader = cmd.ExecuteReader();
        var rows = new List<RejectRow>();
        while (reader.Read())
        {
            var column = reader.IsDBNull(3) ? null : reader.GetString(3);
            var value = reader.IsDBNull(4) ? null : reader.GetString(4);
            rows.Add(new RejectRow(reader.GetString(0), reader.GetString(1), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture),
                column, IsChildId(column) && value is not null ? Withheld : value, reader.GetString(5)));
        }
        return rows;
    }

    /// <summary>Writes <paramref name="rows"/> to <paramref name="path"/>: .csv or .xlsx by its extension.</summary>
    public static void Write(string path, IReadOnlyList<RejectRow> rows)
    {
        if (path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            // A table, not rows of dictionaries, so an export with no rejects still has its header row.
            using var sheet = new DataTable("rejects");
            foreach (var column in Columns) sheet.Columns.Add(column, column == "line_no" ? typeof(long) : typeof(string));
            foreach (var r in rows) sheet.Rows.Add(Cells(r).Select(c => c ?? DBNull.Value).ToArray());
            MiniExcel.SaveAs(path, sheet, sheetName: "rejects", overwriteFile: true);
            return;
        }
        if (!path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"{path}: the export is written as .csv or .xlsx; end the file name with one of them", nameof(path));
        }
        using var writer = new CsvWriter(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), [.. Columns]);
        foreach (var r in rows)
        {
            writer.WriteRow([.. Cells(r).Select(c => c is long n ? n.ToString(CultureInfo.InvariantCulture) : (string?)c)]);
        }
    }

    /// <summary>The cells of one row, text made safe to open in a spreadsheet; the line number stays a number.</summary>
    private static object?[] Cells(RejectRow r) =>
    [
        FormulaGuard.Neutralise(r.RunId), FormulaGuard.Neutralise(r.FileName), r.LineNo, FormulaGuard.Neutralise(r.ColumnName),
        FormulaGuard.Neutralise(Shorten(r.Value)), FormulaGuard.Neutralise(Shorten(r.Reason)),
    ];

    private static bool IsChildId(string? column) => string.Equals(column?.Trim(), "child_id", StringComparison.OrdinalIgnoreCase);

    private static string? Shorten(string? value) => value is { Length: > MaxValueLength }
        ? string.Create(CultureInfo.InvariantCulture, $"{value[..MaxValueLength]}… ({value.Length:N0} characters in all)")
        : value;
}
