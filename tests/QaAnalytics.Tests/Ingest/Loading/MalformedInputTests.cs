using DuckDB.NET.Data;
using QaAnalytics.Ingest.Cli;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Models.Storage;

namespace QaAnalytics.Tests.Ingest.Loading;

/// <summary>
/// Each case of <see cref="MalformedInputCorpus"/> through the real command line (<c>qa-ingest load
/// --fail-on-rejects</c>, in process) on top of a published baseline: no crash, the documented exit
/// code, every row read is loaded or rejected, every reject says what to fix, no child id in a
/// reject, and a refused input leaves the published data exactly as it was.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class MalformedInputTests(CorpusBaseline baseline) : IClassFixture<CorpusBaseline>, IDisposable
{
    /// <summary>Words of a reason that tell a person the rule or what to do.</summary>
    private static readonly string[] RuleWords =
    [
        "must", "give", "use ", "write", "check", "correct", "add ", "leave", "put ", "quote", "save", "only", "cannot", "is not", "is before",
        "is in the future", "is larger", "is blank", "already appear", "needs",
    ];

    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Corpus_HasAtLeastThirtyDistinctDocumentedCases()
    {
        Assert.True(MalformedInputCorpus.Cases.Count >= 30, $"{MalformedInputCorpus.Cases.Count} cases");
        Assert.Equal(MalformedInputCorpus.Cases.Count, MalformedInputCorpus.Cases.Select(c => c.Name).Distinct().Count());
        Assert.All(MalformedInputCorpus.Cases, c => Assert.False(string.IsNullOrWhiteSpace(c.Tests)));
    }

    [Theory]
    [MemberData(nameof(MalformedInputCorpus.Names), MemberType = typeof(MalformedInputCorpus))]
    public async Task Load_MalformedInput_IsAccountedForExplainedAndSafe(string name)
    {
        var corpusCase = MalformedInputCorpus.Get(name);
        baseline.CopyTo(_files.DbPath);
        Dictionary<string, long> before;
        using (var reader = _files.OpenReader()) before = Contents(reader);
        foreach (var (file, bytes) in corpusCase.Files) await File.WriteAllBytesAsync(Path.Combine(_files.Input, file), bytes);

        var (exit, stderr) = await RunCli("load", "--db", _files.DbPath, "--from", _files.Input, "--demo-key", "--fail-on-rejects");

        Assert.True(exit == corpusCase.ExitCode, $"exit {exit}, expected {corpusCase.ExitCode}; stderr: {stderr}");
        // One read-only connection for every check, as a reader of the published snapshot.
        using var db = _files.OpenReader();
        var run = Query.Scalar<string>(db, "SELECT max(run_id) FROM ingest_runs");
        var isNewRun = string.CompareOrdinal(run, baseline.RunId) > 0;
        if (exit == ExitCodes.InputRefused)
        {
            // Nothing changed but the record of the failure; the refusal says what is wrong.
            Assert.Equal(before, Contents(db));
            var failure = isNewRun
                ? string.Join(" ", Query.Rows(db, $"SELECT message FROM ingest_runs WHERE run_id = '{run}' AND status = 'failed'").Select(r => (string)r[0]!))
                : "";
            Assert.All(corpusCase.Mentions, m => Assert.Contains(m, failure + " " + stderr, StringComparison.Ordinal));
            Assert.DoesNotContain("CHILD-", failure + stderr, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(isNewRun, "a load that was not refused records its run");
            AssertEveryRowAccountedFor(db, corpusCase, run, before);
            AssertRejectsSayWhatToFix(db, corpusCase, run);
        }
        foreach (var (sql, expected) in corpusCase.Checks)
        {
            Assert.Equal(expected, Normalise(Query.Scalar<object>(db, sql)));
        }
        // No child id is ever copied into a reject or left raw in a fact.
        Assert.Equal(0L, Query.Scalar<long>(db, "SELECT count(*) FROM ingest_rejects WHERE value LIKE '%CHILD-%' OR reason LIKE '%CHILD-%'"));
        Assert.Equal(0L, Query.Scalar<long>(db, "SELECT count(*) FROM fact_audit WHERE child_key LIKE '%CHILD-%'"));
    }

    /// <summary>Rows read = accepted + rejected per file; the rows read are the rows in the file; each table grew by exactly the new keys.</summary>
    private static void AssertEveryRowAccountedFor(DuckDBConnection db, CorpusCase corpusCase, string run, Dictionary<string, long> before)
    {
        var files = Query.Rows(db, $"SELECT file_name, file_kind, rows_read, rows_accepted, rows_rejected, rows_new, rows_replaced, status FROM ingest_runs WHERE run_id = '{run}'");
        Assert.All(files, f => Assert.Equal(FileStatus.Loaded, f[7]));
        Assert.Equal(corpusCase.RowsRead, files.Sum(f => (long)f[2]!));
        var after = Contents(db);
        foreach (var f in files)
        {
            var (file, kind, read, accepted, rejected, added, replaced) = ((string)f[0]!, (string)f[1]!, (long)f[2]!, (long)f[3]!, (long)f[4]!, (long)f[5]!, (long)f[6]!);
            Assert.Equal(read, accepted + rejected);
            Assert.Equal(accepted, added + replaced);
            Assert.Equal(rejected, Query.Scalar<long>(db, $"SELECT count(DISTINCT line_no) FROM ingest_rejects WHERE run_id = '{run}' AND file_name = '{file}'"));
            var table = CorpusBaseline.TableOf(kind);
            Assert.Equal(accepted, Query.Scalar<long>(db, $"SELECT count(*) FROM {table} WHERE run_id = '{run}'"));
            Assert.Equal(before[table] + added, after[table]);
        }
        // Tables the run did not load are untouched, row for row.
        var loaded = files.Select(f => CorpusBaseline.TableOf((string)f[1]!)).ToHashSet(StringComparer.Ordinal);
        foreach (var key in before.Keys.Where(k => !loaded.Contains(k.Split(':')[0])))
        {
            Assert.Equal(before[key], after[key]);
        }
    }

    private static void AssertRejectsSayWhatToFix(DuckDBConnection db, CorpusCase corpusCase, string run)
    {
        var rejects = Query.Rows(db, $"SELECT file_name, line_no, column_name, reason FROM ingest_rejects WHERE run_id = '{run}'")
            .Select(r => (File: (string)r[0]!, Line: (long)r[1]!, Column: (string?)r[2], Reason: (string)r[3]!)).ToList();
        Assert.Equal(corpusCase.ExitCode == ExitCodes.Rejects, rejects.Count > 0);
        foreach (var r in rejects)
        {
            var lines = PhysicalLines(corpusCase.Files.Single(f => f.Name == r.File).Bytes);
            Assert.InRange(r.Line, 2, lines);
            Assert.True(RuleWords.Any(w => r.Reason.Contains(w, StringComparison.Ordinal)), $"'{r.Reason}' does not say what to do");
            // The CSV reader's own rejects concern the row's shape (fields, quotes, length), not one column's value.
            if (r.Reason.StartsWith("the row ", StringComparison.Ordinal) || r.Reason.StartsWith("a double quote ", StringComparison.Ordinal)) continue;
            Assert.NotNull(r.Column);
            Assert.True(r.Reason.Contains(r.Column, StringComparison.Ordinal), $"'{r.Reason}' does not name its column {r.Column}");
        }
        Assert.All(corpusCase.Mentions, m => Assert.Contains(rejects, r => r.Reason.Contains(m, StringComparison.Ordinal)));
    }

    /// <summary>Row counts and a content checksum of every table a load may change.</summary>
    private static Dictionary<string, long> Contents(DuckDBConnection db)
    {
        var contents = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in CorpusBaseline.Tables)
        {
            contents[table] = Query.Scalar<long>(db, $"SELECT count(*) FROM {table}");
            contents[table + ":checksum"] = Query.Scalar<long>(db, $"SELECT coalesce(sum(hash(t) % 1000000007), 0) FROM {table} t");
        }
        contents.Remove("dim_kpi:checksum");
        return contents;
    }

    private static long PhysicalLines(byte[] bytes) => bytes.Count(b => b == (byte)'\n') + (bytes.Length > 0 && bytes[^1] != (byte)'\n' ? 1 : 0);

    private static object Normalise(object value) => value switch
    {
        int i => i,
        long l => l,
        System.Numerics.BigInteger b => (long)b,
        _ => value,
    };

    private static async Task<(int Exit, string Stderr)> RunCli(params string[] args)
    {
        var saved = Console.Error;
        using var error = new StringWriter();
        Console.SetError(error);
        try
        {
            return (await IngestCli.RunAsync(args), error.ToString());
        }
        finally
        {
            Console.SetError(saved);
        }
    }
}

/// <summary>The published baseline every corpus case is loaded on: built once, copied per case.</summary>
public sealed class CorpusBaseline : IAsyncLifetime
{
    public static readonly string[] Tables = ["dim_team", "dim_kpi", "fact_audit", "fact_audit_request", "fact_kpi", "fact_complaint"];

    private readonly TestFiles _files = new();

    public string RunId { get; private set; } = "";

    public static string TableOf(string kind) => kind switch
    {
        "teams" => "dim_team",
        "kpi_definitions" => "dim_kpi",
        "audits" => "fact_audit",
        "audit_requests" => "fact_audit_request",
        "kpis" => "fact_kpi",
        "complaints" => "fact_complaint",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public async Task InitializeAsync()
    {
        foreach (var (name, bytes) in MalformedInputCorpus.Baseline) await File.WriteAllBytesAsync(Path.Combine(_files.Input, name), bytes);
        var report = await new Loader(Pseudonymiser.Demo(), TimeProvider.System).LoadAsync(new LoadRequest(_files.DbPath, _files.Input));
        Assert.Equal(0L, report.RowsRejected);
        RunId = report.RunId;
    }

    /// <summary>Copies the published snapshot to <paramref name="dbPath"/> as a store of its own (a link to a copied snapshot).</summary>
    public void CopyTo(string dbPath)
    {
        var source = new SnapshotStore(_files.DbPath);
        var target = new SnapshotStore(dbPath);
        Directory.CreateDirectory(target.SnapshotDir);
        var snapshot = source.Current()!;
        var copy = Path.Combine(target.SnapshotDir, Path.GetFileName(snapshot));
        File.Copy(snapshot, copy);
        File.CreateSymbolicLink(target.DbPath, Path.GetRelativePath(Path.GetDirectoryName(target.DbPath)!, copy));
    }

    public Task DisposeAsync()
    {
        _files.Dispose();
        return Task.CompletedTask;
    }
}
