using System.Text;

namespace QaAnalytics.Ingest.Loading;

/// <summary>
/// The shape of a UTF-8 CSV file as DuckDB's reader will split it (RFC 4180: fields quoted with
/// <c>"</c>, quotes doubled inside): the header's column names, and where each reader line starts
/// in the file. DuckDB numbers "lines" by records (a quoted field's line breaks do not count) and
/// skips blank ones, so when a file has either, a reader line or a row index is not the physical
/// line a person sees in an editor; <see cref="LineStarts"/> and <see cref="DataLines"/> translate.
/// The header is read here so DuckDB can be given the columns instead of guessing them: its
/// dialect sniffer gives up on a file with an unclosed quote, which should be one rejected row,
/// not a failed load.
/// </summary>
internal sealed class CsvLayout
{
    private CsvLayout(IReadOnlyList<string> header, long[]? lineStarts, long[]? dataLines)
    {
        Header = header;
        LineStarts = lineStarts;
        DataLines = dataLines;
    }

    /// <summary>Column names from the first record, de-duplicated (a second <c>x</c> becomes <c>x_2</c>).</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Physical start line of reader line n at index n - 1 (header = 1), or null when they are equal.</summary>
    public long[]? LineStarts { get; }

    /// <summary>The reader lines that hold data records (not the header, not blank), or null when row i is reader line i + 2.</summary>
    public long[]? DataLines { get; }

    /// <summary>The physical line of reader line <paramref name="readerLine"/>.</summary>
    public long PhysicalLine(long readerLine) =>
        LineStarts is { } starts && readerLine >= 1 && readerLine <= starts.Length ? starts[readerLine - 1] : readerLine;

    public static CsvLayout Read(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        // Most files have no quoted field and no blank line: then every record is one physical
        // line and the reader's numbering is already right. Three vectorised searches tell, where
        // walking the records costs a search and two list entries a line.
        var firstBreak = utf8.IndexOf((byte)'\n');
        if (firstBreak >= 0 && !utf8.Contains((byte)'"') && utf8.IndexOf("\n\n"u8) < 0 && utf8.IndexOf("\n\r"u8) < 0)
        {
            return new CsvLayout(SplitHeader(utf8[..firstBreak]), null, null);
        }
        var starts = new List<long>();
        var data = new List<long>();
        var irregular = false;
        var inQuotes = false;
        long line = 1;
        var recordStart = 0;
        var recordLine = 1L;
        var headerEnd = -1;
        for (var i = 0; i <= utf8.Length; i++)
        {
            // Only quotes and line feeds matter: jump to the next one (a vectorised search).
            var next = i < utf8.Length ? utf8[i..].IndexOfAny((byte)'"', (byte)'\n') : 0;
            i = next < 0 ? utf8.Length : i + next;
            var end = i == utf8.Length;
            var b = end ? (byte)'\n' : utf8[i];
            if (b == (byte)'"')
            {
                inQuotes = !inQuotes;
                continue;
            }
            if (b != (byte)'\n') continue;
            if (inQuotes && !end)
            {
                irregular = true;  // a line break inside a quoted field: the record goes on
                line++;
                continue;
            }
            var blank = IsBlank(utf8[recordStart..Math.Min(i, utf8.Length)]);
            if (end && blank && headerEnd >= 0) break;  // the file's last line break
            starts.Add(recordLine);
            if (headerEnd < 0)
            {
                headerEnd = i;
            }
            else if (blank)
            {
                irregular = true;  // the reader skips blank lines
            }
            else
            {
                data.Add(starts.Count);
            }
            line++;
            recordStart = i + 1;
            recordLine = line;
            inQuotes = false;
        }
        var header = SplitHeader(utf8[..Math.Max(headerEnd, 0)]);
        return irregular ? new CsvLayout(header, [.. starts], [.. data]) : new CsvLayout(header, null, null);
    }

    private static bool IsBlank(ReadOnlySpan<byte> record)
    {
        foreach (var b in record)
        {
            if (b != (byte)'\r') return false;
        }
        return true;
    }

    /// <summary>The header record's fields, unquoted.</summary>
    private static List<string> SplitHeader(ReadOnlySpan<byte> record)
    {
        // A NUL would end the SQL text the names are quoted into; the loader refuses such files first.
        var text = Encoding.UTF8.GetString(record).TrimEnd('\r').Replace("\0", "", StringComparison.Ordinal);
        var names = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { names.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        names.Add(field.ToString());
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i].Trim().Length == 0 ? $"column{i + 1}" : names[i];
            names[i] = seen.TryGetValue(name, out var n) ? $"{name}_{n + 1}" : name;
            seen[name] = n + 1;
        }
        return names;
    }
}
