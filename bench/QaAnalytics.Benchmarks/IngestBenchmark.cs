using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Ingest.Sample;
using QaAnalytics.Testing;

namespace QaAnalytics.Benchmarks;

/// <summary>
/// Ingest benchmark (issue 2 §9): generates the national-scale dataset (150 councils × 5 years),
/// then times the full qa-ingest load against DuckDB's own read_csv of the same files into plain
/// tables, alternating the two, and prints rows/s and the ratio raw ÷ ingest (goal ≥ 0.8). A third
/// load in each round, the floor, is the raw load plus only the per-row hashing the product cannot
/// skip (a keyed pseudonym of every child id, a record key for every row; DuckDB's own sha256, cheaper
/// than the loader's HMAC), with no check, no line number and no reject: what any loader that
/// pseudonymises on the way in costs at least, so raw ÷ floor bounds raw ÷ ingest from above.
/// Usage: bench [ingest] [--councils N] [--years Y] [--repeats R] [--work DIR]
/// </summary>
public static class IngestBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var councils = BenchMath.Arg(args, "--councils", 150);
        var years = BenchMath.Arg(args, "--years", 5);
        var repeats = BenchMath.Arg(args, "--repeats", 3);
        var work = args.SkipWhile(a => a != "--work").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "qa-bench");
        var input = Path.Combine(work, $"sample-{councils}x{years}");

        if (!File.Exists(Path.Combine(input, "complaints.csv")))
        {
            var gen = Stopwatch.StartNew();
            SampleGenerator.Write(new SampleOptions(input, councils, years));
            Console.WriteLine($"generated {councils} councils × {years} years in {gen.Elapsed.TotalSeconds:0.0} s → {input}");
        }
        var files = Directory.EnumerateFiles(input, "*.csv").Order(StringComparer.Ordinal).ToList();
        var bytes = files.Sum(f => new FileInfo(f).Length);
        Console.WriteLine($"input: {files.Count} files, {bytes / 1e6:0.0} MB");

        var ingestTimes = new List<double>();
        var rawTimes = new List<double>();
        var floorTimes = new List<double>();
        long rows = 0;
        for (var r = 0; r < repeats; r++)
        {
            var raw = RawDuckDbLoad(files, Path.Combine(work, $"raw-{r}.duckdb"), _ => "");
            rawTimes.Add(raw.Seconds);
            floorTimes.Add(RawDuckDbLoad(files, Path.Combine(work, $"floor-{r}.duckdb"), FloorColumns).Seconds);
            rows = raw.Rows;
            var dbDir = Path.Combine(work, $"ingest-{r}");
            if (Directory.Exists(dbDir)) Directory.Delete(dbDir, true);
            var sw = Stopwatch.StartNew();
            var report = await new Loader(Pseudonymiser.Demo(), TimeProvider.System)
                .LoadAsync(new LoadRequest(Path.Combine(dbDir, "qa.duckdb"), input));
            ingestTimes.Add(sw.Elapsed.TotalSeconds);
            if (report.Failed || report.RowsRead != rows)
            {
                Console.Error.WriteLine($"ingest read {report.RowsRead} rows but DuckDB read {rows}; failed={report.Failed} {report.Error}");
                return 1;
            }
            Console.WriteLine($"run {r + 1}: raw read_csv {raw.Seconds:0.000} s, floor {floorTimes[^1]:0.000} s, qa-ingest {ingestTimes[^1]:0.000} s ({report.RowsAccepted:N0} accepted, {report.RowsRejected:N0} rejected)");
            Directory.Delete(dbDir, true);
        }

        var ingest = BenchMath.Median(ingestTimes);
        var rawMedian = BenchMath.Median(rawTimes);
        var floor = BenchMath.Median(floorTimes);
        Console.WriteLine();
        Console.WriteLine($"rows: {rows:N0} in {files.Count} files ({bytes / 1e6:0.0} MB)");
        Console.WriteLine($"DuckDB read_csv into plain tables: median {rawMedian:0.000} s = {rows / rawMedian:N0} rows/s");
        Console.WriteLine($"floor (read_csv + child-id pseudonyms + record keys, nothing else): median {floor:0.000} s = {rows / floor:N0} rows/s");
        Console.WriteLine($"qa-ingest load (validate, pseudonymise, merge, publish): median {ingest:0.000} s = {rows / ingest:N0} rows/s");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio raw/ingest = {rawMedian / ingest:0.00} (goal >= 0.80; ingest takes {ingest / rawMedian:0.00}x the raw load); raw/floor = {rawMedian / floor:0.00}, the most any loader that pseudonymises could reach"));
        return 0;
    }

    /// <summary>
    /// The floor's extra columns for a file of the national sample (<see cref="IngestBenchmark"/>): a
    /// pseudonym of the audits' child ids in place of them, and a record key from each file's natural key.
    /// </summary>
    private static string FloorColumns(string file) => Path.GetFileNameWithoutExtension(file) switch
    {
        "audits" => " EXCLUDE (child_id), sha256('secret' || child_id) AS child_id_pseudonym, hash(sha256('secret' || audit_id)) % 4294967296 AS record_key",
        "audit_requests" => ", hash(sha256('secret' || request_id)) % 4294967296 AS record_key",
        "kpis" => ", hash(sha256('secret' || team_id || CAST(period AS VARCHAR) || kpi_code)) % 4294967296 AS record_key",
        "complaints" => ", hash(sha256('secret' || record_id)) % 4294967296 AS record_key",
        _ => "",
    };

    /// <summary>DuckDB's own load: read_csv with type inference into one plain table per file (with <paramref name="extra"/>'s columns), then checkpoint.</summary>
    private static (double Seconds, long Rows) RawDuckDbLoad(List<string> files, string dbPath, Func<string, string> extra)
    {
        foreach (var f in new[] { dbPath, dbPath + ".wal" }) if (File.Exists(f)) File.Delete(f);
        var sw = Stopwatch.StartNew();
        long rows = 0;
        using (var connection = new DuckDBConnection($"Data Source={dbPath}"))
        {
            connection.Open();
            foreach (var file in files)
            {
                using var cmd = connection.CreateCommand();
                cmd.CommandText = $"CREATE TABLE \"{Path.GetFileNameWithoutExtension(file)}\" AS SELECT *{extra(file)} FROM read_csv($path)";
                cmd.Parameters.Add(new DuckDBParameter("path", file));
                cmd.ExecuteNonQuery();
                using var count = connection.CreateCommand();
                count.CommandText = $"SELECT count(*) FROM \"{Path.GetFileNameWithoutExtension(file)}\"";
                rows += Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "CHECKPOINT";
            checkpoint.ExecuteNonQuery();
        }
        var seconds = sw.Elapsed.TotalSeconds;
        File.Delete(dbPath);
        return (seconds, rows);
    }
}
