using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using MiniExcelLibs;
using QaAnalytics.Models.Csv;

namespace QaAnalytics.Ingest.Loading;

/// <summary>
/// An input file made ready for DuckDB's CSV reader: its SHA-256 over the bytes as received, the
/// encoding it arrived in, and a UTF-8 CSV path (the file itself when it is already UTF-8; a
/// transcoded or converted temporary copy for Windows-1252 text and .xlsx worksheets).
/// </summary>
internal sealed class SourceFile : IDisposable
{
    private readonly string? _temporary;

    private SourceFile(string original, string csvPath, string sha256, string encoding, string? temporary, CsvLayout layout)
    {
        Layout = layout;
        OriginalPath = original;
        CsvPath = csvPath;
        Sha256 = sha256;
        Encoding = encoding;
        _temporary = temporary;
    }

    public string OriginalPath { get; }

    public string FileName => Path.GetFileName(OriginalPath);

    public string CsvPath { get; }

    public string Sha256 { get; }

    /// <summary>utf-8, utf-8-bom, windows-1252 or xlsx.</summary>
    public string Encoding { get; }

    /// <summary>Header and record start lines of <see cref="CsvPath"/>.</summary>
    public CsvLayout Layout { get; }

    public static SourceFile Prepare(string path, string workDir, string sheetHint)
    {
        var bytes = File.ReadAllBytes(path);
        // Hash on another core while this one checks the encoding and reads the layout.
        var hashing = Task.Run(() => Convert.ToHexStringLower(SHA256.HashData(bytes)));
        var (csvPath, encoding, temporary, layout) = Decode(path, bytes, workDir, sheetHint);
        return new SourceFile(path, csvPath, hashing.GetAwaiter().GetResult(), encoding, temporary, layout);
    }

    private static (string CsvPath, string Encoding, string? Temporary, CsvLayout Layout) Decode(string path, byte[] bytes, string workDir, string sheetHint)
    {
        if (bytes.Length == 0)
        {
            throw new InputFileException(Path.GetFileName(path), "the file is empty; it needs at least a header row");
        }
        if (path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            var csv = Path.Combine(workDir, Path.GetFileNameWithoutExtension(path) + ".from-xlsx.csv");
            try
            {
                ConvertWorksheet(path, csv, sheetHint);
            }
            catch (Exception ex) when (ex is InvalidDataException or System.Xml.XmlException or InvalidOperationException)
            {
                // Not a zip of worksheets: a CSV or an old .xls renamed, or a damaged or truncated workbook.
                throw new InputFileException(Path.GetFileName(path),
                    $"the file cannot be read as an Excel workbook ({ex.Message}); save it again from Excel as .xlsx, or as CSV UTF-8 named .csv");
            }
            return (csv, "xlsx", csv, CsvLayout.Read(File.ReadAllBytes(csv)));
        }
        var span = bytes.AsSpan();
        if (TextProblem(span) is { } problem)
        {
            throw new InputFileException(Path.GetFileName(path), problem);
        }
        var hasBom = span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
        if (Utf8.IsValid(span))
        {
            return (path, hasBom ? "utf-8-bom" : "utf-8", null, CsvLayout.Read(span));
        }
        // Not UTF-8: Excel's "CSV (Comma delimited)" writes the Windows code page, 1252 for English.
        var utf8 = System.Text.Encoding.UTF8.GetBytes(CodePage1252.GetString(bytes));
        var transcoded = Path.Combine(workDir, Path.GetFileName(path) + ".utf8.csv");
        File.WriteAllBytes(transcoded, utf8);
        return (transcoded, "windows-1252", transcoded, CsvLayout.Read(utf8));
    }

    /// <summary>
    /// Why bytes that are neither UTF-8 nor Windows-1252 text cannot be read, or null. A NUL byte
    /// never occurs in either: it means UTF-16 (Excel's "Unicode Text") or a file that is not text.
    /// </summary>
    private static string? TextProblem(ReadOnlySpan<byte> bytes)
    {
        const string Save = "open it in Excel and save it as \"CSV UTF-8 (Comma delimited)\"";
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return $"the file is UTF-16 text (Excel's \"Unicode Text\"), which is not read; {Save}";
        }
        var nul = bytes.IndexOf((byte)0);
        if (nul < 0) return null;
        // UTF-16 without a byte-order mark: every other byte of ASCII text is NUL.
        var head = bytes[..Math.Min(bytes.Length, 512)];
        var nuls = head.Count((byte)0);
        return nuls * 3 >= head.Length
            ? $"the file looks like UTF-16 text (a NUL byte beside every letter), which is not read; {Save}"
            : $"the file holds a NUL byte (at byte {nul + 1}), so it is not a text file: is it a workbook or another document saved as .csv? {Save}";
    }

    public void Dispose()
    {
        if (_temporary is not null && File.Exists(_temporary)) File.Delete(_temporary);
    }

    private static Encoding CodePage1252
    {
        get
        {
            System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return System.Text.Encoding.GetEncoding(1252);
        }
    }

    /// <summary>
    /// Writes the worksheet named like the file (else the first) as RFC 4180 CSV. Dates become
    /// yyyy-mm-dd so the same SQL validates both formats; sheet row numbers are kept (header = 1).
    /// </summary>
    private static void ConvertWorksheet(string xlsx, string csv, string sheetHint)
    {
        var sheets = MiniExcel.GetSheetNames(xlsx);
        var sheet = sheets.FirstOrDefault(s => string.Equals(s, sheetHint, StringComparison.OrdinalIgnoreCase)) ?? sheets.FirstOrDefault()
            ?? throw new InputFileException(Path.GetFileName(xlsx), "the workbook has no worksheets");
        CsvWriter? writer = null;
        try
        {
            foreach (IDictionary<string, object?> row in MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: sheet))
            {
                writer ??= new CsvWriter(csv, new UTF8Encoding(false), [.. row.Keys]);
                writer.WriteRow([.. row.Values.Select(Format)]);
            }
        }
        finally
        {
            writer?.Dispose();
        }
        if (writer is null)
        {
            throw new InputFileException(Path.GetFileName(xlsx), $"worksheet '{sheet}' is empty; it needs at least a header row");
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        DateTime d when d.TimeOfDay == TimeSpan.Zero => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>A whole file cannot be read as its kind (e.g. a required column is missing); the run fails and publishes no data.</summary>
public sealed class InputFileException(string fileName, string problem) : Exception($"{fileName}: {problem}")
{
    public string FileName { get; } = fileName;

    public string Problem { get; } = problem;
}
