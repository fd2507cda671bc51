using System.Text;

namespace QaAnalytics.Tests.Fixtures;

/// <summary>A CSV file read back for assertions: header, rows as name → value, and the raw lines.</summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _index;

    public CsvTable(string[] header, List<string[]> rows, string[] lines)
    {
        Header = header;
        Rows = rows;
        Lines = lines;
        _index = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);
    }

    public string[] Header { get; }

    /// <summary>Data rows in file order; row i is physical line i + 2.</summary>
    public List<string[]> Rows { get; }

    /// <summary>Physical lines without line ends; line n (header = 1) is Lines[n - 1].</summary>
    public string[] Lines { get; }

    public string Get(string[] row, string column) => row[_index[column]];

    public IEnumerable<string> Column(string column) => Rows.Select(r => r[_index[column]]);
}

/// <summary>RFC 4180 reading for the tests (the generator never writes a line break inside a field).</summary>
internal static class SampleCsv
{
    public static CsvTable Read(string path, Encoding? encoding = null)
    {
        var text = File.ReadAllText(path, encoding ?? new UTF8Encoding(false));
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var lines = text.Split("\r\n");
        if (lines[^1].Length == 0) lines = lines[..^1];
        var header = Parse(lines[0]);
        var rows = lines.Skip(1).Select(Parse).ToList();
        return new CsvTable(header, rows, lines);
    }

    public static string[] Parse(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return [.. fields];
    }
}
