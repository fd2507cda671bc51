using System.Text;

namespace QaAnalytics.Models.Csv;

/// <summary>
/// Minimal RFC 4180 writer: CRLF line ends, a field is quoted only when it holds a comma, a double
/// quote or a line break, and quotes inside are doubled. Counts physical lines (header = line 1)
/// so a writer that never puts a line break inside a field can report rows by line number.
/// </summary>
public sealed class CsvWriter : IDisposable
{
    private static readonly char[] NeedsQuoting = [',', '"', '\r', '\n'];

    private readonly StreamWriter _writer;

    public CsvWriter(string path, Encoding encoding, IReadOnlyList<string> header)
        : this(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), encoding, header, leaveOpen: false)
    {
    }

    /// <summary>A writer onto <paramref name="stream"/> (an HTTP response, say), left open when <paramref name="leaveOpen"/>.</summary>
    public CsvWriter(Stream stream, Encoding encoding, IReadOnlyList<string> header, bool leaveOpen)
    {
        _writer = new StreamWriter(stream, encoding, 1 << 16, leaveOpen) { NewLine = "\r\n" };
        Columns = header;
        WriteRow(header.ToArray());
    }

    /// <summary>Writes what is buffered to the stream (for a writer whose stream is read as it is written).</summary>
    public Task FlushAsync() => _writer.FlushAsync();

    public IReadOnlyList<string> Columns { get; }

    /// <summary>Physical lines written so far, header included: the line number of the last row.</summary>
    public long Line { get; private set; }

    public long DataRows => Line - 1;

    public long PlantedBadRows { get; set; }

    public void WriteRow(ReadOnlySpan<string?> fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) _writer.Write(',');
            var field = fields[i];
            if (string.IsNullOrEmpty(field)) continue;
            if (field.IndexOfAny(NeedsQuoting) < 0)
            {
                _writer.Write(field);
            }
            else
            {
                _writer.Write('"');
                _writer.Write(field.Replace("\"", "\"\"", StringComparison.Ordinal));
                _writer.Write('"');
            }
        }
        _writer.WriteLine();
        Line++;
    }

    public void Dispose() => _writer.Dispose();
}
