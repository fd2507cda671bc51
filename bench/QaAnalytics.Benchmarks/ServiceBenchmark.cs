using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Grpc.Core;
using Grpc.Net.Client;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Ingest.Sample;
using QaAnalytics.Service;
using QaAnalytics.Service.Client;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Semantic;
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Benchmarks;

/// <summary>
/// Service benchmark (issue 3 §5, partly): on the national-scale dataset, the service on real
/// HTTP/2 loopback against the same SQL run in-process through DuckDB.NET; a repeated identical
/// call (cache); and concurrent clients. Usage: bench service [--seconds S] [--clients N] [--work DIR] [--only-concurrent | --only-stream] [QaAnalytics:Setting=value …]
/// </summary>
public static class ServiceBenchmark
{
    /// <summary>The national-scale dataset (150 councils × 5 years) generated and loaded once under <paramref name="work"/>; its database link.</summary>
    public static async Task<string> NationalDatabaseAsync(string work)
    {
        var input = Path.Combine(work, "sample-150x5");
        var db = Path.Combine(work, "service-db", "qa.duckdb");
        if (!File.Exists(Path.Combine(input, "complaints.csv"))) SampleGenerator.Write(new SampleOptions(input, 150, 5));
        if (!File.Exists(db))
        {
            var report = await new Loader(Pseudonymiser.Demo(), TimeProvider.System).LoadAsync(new LoadRequest(db, input));
            Console.WriteLine($"loaded {report.RowsAccepted:N0} rows into {db}");
        }
        return db;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = BenchMath.Arg(args, "--seconds", 30);
        var clients = BenchMath.Arg(args, "--clients", 64);
        var work = args.SkipWhile(a => a != "--work").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "qa-bench");
        var db = await NationalDatabaseAsync(work);

        if (args.Contains("--only-stream"))
        {
            await StreamAsync(work, db, BenchMath.Arg(args, "--stream-rows", 10_000_000));
            return 0;
        }
        var port = ServiceProcess.FreeLoopbackPort();
        var settings = args.Where(a => a.StartsWith("QaAnalytics:", StringComparison.Ordinal)).Select(a => a.Split('=', 2)).Select(a => (a[0], a[1])).ToArray();
        foreach (var (key, value) in settings) Console.WriteLine($"setting {key} = {value}");
        await using var app = await StartInProcessAsync(db, port, LogLevel.Warning, settings);

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions { MaxReceiveMessageSize = null });
        var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);

        var onlyConcurrent = args.Contains("--only-concurrent");  // section (d) alone
        // (a) Each headline RPC end to end (uncached: a distinct period each time) against the same SQL in-process.
        Console.WriteLine("(a) end-to-end RPC (client decode included) vs the same SQL through DuckDB.NET in-process, median of 7:");
        var snapshot = SnapshotSource.Resolve(db);
        foreach (var (name, call, spec) in onlyConcurrent ? [] : Headline())
        {
            var rpc = new List<double>();
            var direct = new List<double>();
            for (var i = 0; i < 7; i++)
            {
                var from = $"{2021 + i % 5}-04";
                var sw = Stopwatch.StartNew();
                await Decode(call(client, from));
                rpc.Add(sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                InProcess(snapshot, spec(from));
                direct.Add(sw.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"    {name,-22} rpc {BenchMath.Median(rpc),8:0.0} ms   in-process {BenchMath.Median(direct),8:0.0} ms   overhead ratio {BenchMath.Median(rpc) / BenchMath.Median(direct):0.00} (goal <= 1.15)");
        }

        // (b) A repeated identical call: answered from the result cache.
        var repeat = new GradeDistributionRequest { GroupBy = OrgLevel.Council, Grain = TimeGrain.FinancialYear };
        await Decode(client.GetGradeDistribution(repeat));
        var cached = new List<double>();
        for (var i = 0; i < (onlyConcurrent ? 0 : 200); i++)
        {
            var sw = Stopwatch.StartNew();
            await Decode(client.GetGradeDistribution(repeat));
            cached.Add(sw.Elapsed.TotalMilliseconds);
        }
        if (!onlyConcurrent) Console.WriteLine($"(b) repeated identical GetGradeDistribution (council × financial year, 750 rows; {cached.Count} calls): p50 {BenchMath.Percentile(cached, 50):0.00} ms (goal <= 2 ms)");

        // (d) Concurrent clients, each on its own channel, mixing cached and uncached calls.
        var latencies = new List<double>[clients];
        var later = new List<double>[clients];  // calls started after the first 5 s, once the 150 councils' answers are mostly cached
        var begun = Stopwatch.StartNew();
        var errors = 0;
        var stop = DateTime.UtcNow.AddSeconds(seconds);
        var tasks = Enumerable.Range(0, clients).Select(async c =>
        {
            latencies[c] = [];
            later[c] = [];
            using var own = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
            var cl = new Contracts.V1.QaAnalytics.QaAnalyticsClient(own);
            var n = 0;
            while (DateTime.UtcNow < stop)
            {
                var sw = Stopwatch.StartNew();
                var late = begun.Elapsed > TimeSpan.FromSeconds(5);
                try
                {
                    var request = new GradeDistributionRequest { GroupBy = OrgLevel.ServiceArea, Grain = TimeGrain.FinancialYear, Scope = new Scope { LaCodes = { (800 + (c + n++) % 150).ToString(CultureInfo.InvariantCulture) } } };
                    await Decode(cl.GetGradeDistribution(request, deadline: DateTime.UtcNow.AddSeconds(30)));
                    lock (latencies[c]) latencies[c].Add(sw.Elapsed.TotalMilliseconds);
                    if (late) later[c].Add(sw.Elapsed.TotalMilliseconds);
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }).ToArray();
        await Task.WhenAll(tasks);
        var all = latencies.SelectMany(l => l).ToList();
        Console.WriteLine($"(d) {clients} concurrent clients for {seconds} s: {all.Count:N0} calls ({all.Count / (double)seconds:0} /s), p50 {BenchMath.Percentile(all, 50):0.0} ms, p99 {BenchMath.Percentile(all, 99):0.0} ms (ratio {BenchMath.Percentile(all, 99) / BenchMath.Percentile(all, 50):0.0}, goal <= 3), errors {errors} (goal 0)");
        var settled = later.SelectMany(l => l).ToList();
        Console.WriteLine($"    of which started after the first 5 s: {settled.Count:N0} calls, p50 {BenchMath.Percentile(settled, 50):0.0} ms, p99 {BenchMath.Percentile(settled, 99):0.0} ms (ratio {BenchMath.Percentile(settled, 99) / BenchMath.Percentile(settled, 50):0.0})");
        await app.StopAsync();

        if (!onlyConcurrent) await StreamAsync(work, db, BenchMath.Arg(args, "--stream-rows", 10_000_000));
        return 0;
    }

    /// <summary>
    /// (c) A 10M-row Arrow stream over loopback: the generic Query (KPI rate by council × month ×
    /// KPI) on a copy of the national snapshot with synthetic single-team councils added until the
    /// result has the rows asked for; decoded batch by batch as it arrives. The first call computes
    /// (DuckDB, suppression, Arrow); the repeat is served from the result cache, so it times the
    /// stream itself.
    /// </summary>
    private static async Task StreamAsync(string work, string nationalDb, int targetRows)
    {
        var db = Path.Combine(work, $"stream-db-{targetRows}", "qa.duckdb");
        if (!File.Exists(db))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(db)!);
            File.Copy(SnapshotSource.Resolve(nationalDb), db + ".partial", overwrite: true);
            using (var connection = new DuckDBConnection($"Data Source={db}.partial"))
            {
                connection.Open();
                using var cmd = connection.CreateCommand();
                // 120 months × every KPI per synthetic council (one team each).
                cmd.CommandText = """
                    CREATE TEMP TABLE k AS SELECT kpi_code, unit FROM dim_kpi;
                    SET VARIABLE councils = ceil($rows / (120.0 * (SELECT count(*) FROM k)))::BIGINT;
                    INSERT INTO dim_team SELECT 'S' || i, 'S' || lpad(i::VARCHAR, 6, '0'), 'Synthetic team ' || i, 'Synthetic', NULL, 'bench'
                        FROM range(getvariable('councils')) t(i);
                    INSERT INTO fact_kpi
                    SELECT 'S' || t.i, (DATE '2016-04-01' + INTERVAL (m.j) MONTH)::DATE, k.kpi_code,
                           CASE WHEN k.unit = 'rate' THEN (hash(t.i, m.j, k.kpi_code) % 20)::BIGINT END,
                           CASE WHEN k.unit = 'rate' THEN 20 END,
                           CASE WHEN k.unit = 'rate' THEN NULL ELSE (hash(t.i, m.j, k.kpi_code) % 300) / 10.0 END,
                           'bench', 0
                    FROM range(getvariable('councils')) t(i), range(120) m(j), k;
                    CHECKPOINT;
                    """;
                cmd.Parameters.Add(new DuckDBParameter("rows", targetRows));
                cmd.ExecuteNonQuery();
            }
            File.Move(db + ".partial", db);
        }

        var port = ServiceProcess.FreeLoopbackPort();
        await using var app = await StartInProcessAsync(db, port, LogLevel.Warning, ("QaAnalytics:CacheMegabytes", "16384"));
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions { MaxReceiveMessageSize = null });
        var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);
        var request = new QueryRequest
        {
            Measures = { "kpi_rate" }, Dimensions = { "kpi_code" }, Grain = TimeGrain.Month,
            Period = new PeriodRange { FromMonth = "2016-04", ToMonth = "2026-03" },
        };
        foreach (var label in new[] { "first call (computed)", "repeat (from the result cache)" })
        {
            long nonNull = 0;
            var sw = Stopwatch.StartNew();
            var (_, rows, bytes) = await ArrowChunkReader.StreamAsync(client.Query(request, deadline: DateTime.UtcNow.AddMinutes(30)),
                batch => nonNull += batch.Length - batch.Column(batch.Schema.GetFieldIndex("kpi_rate")).NullCount);
            var seconds = sw.Elapsed.TotalSeconds;
            Console.WriteLine($"(c) {rows:N0}-row Arrow stream, {label}: {bytes / 1e6:N0} MB in {seconds:0.00} s = {bytes / 1e6 / seconds:N0} MB/s, {rows / seconds:N0} rows/s decoded ({nonNull:N0} rates) (goal >= 500 MB/s)");
        }
        await app.StopAsync();
    }

    /// <summary>The service in this process on 127.0.0.1:<paramref name="port"/> (real HTTP/2), serving <paramref name="db"/>, started.</summary>
    internal static async Task<WebApplication> StartInProcessAsync(string db, int port, LogLevel logLevel, params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder([]);
        builder.Configuration["QaAnalytics:DatabasePath"] = db;
        builder.Configuration["QaAnalytics:Port"] = port.ToString(CultureInfo.InvariantCulture);
        builder.Configuration["QaAnalytics:Auth:Mode"] = "Development";  // benchmarks and fuzzing measure the service, not the identity provider
        builder.Configuration["QaAnalytics:HttpPort"] = ServiceProcess.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);  // never the shared default
        foreach (var (key, value) in settings) builder.Configuration[key] = value;
        builder.Logging.SetMinimumLevel(logLevel);
        builder.AddQaAnalytics();
        var app = builder.Build();
        app.MapQaAnalytics();
        await app.StartAsync();
        return app;
    }

    /// <summary>The headline RPCs, each with the semantic query it runs (whose one SQL statement is the in-process baseline).</summary>
    private static IEnumerable<(string Name, Func<Contracts.V1.QaAnalytics.QaAnalyticsClient, string, AsyncServerStreamingCall<ArrowChunk>> Call, Func<string, SemanticSpec> Spec)> Headline()
    {
        yield return ("GetGradeDistribution", (c, from) => c.GetGradeDistribution(Grades(from)), from => AnalyticsQueries.GradeDistributionSpec(Grades(from)));
        yield return ("GetTriangulation", (c, from) => c.GetTriangulation(Triangulation(from)), from => AnalyticsQueries.TriangulationSpec(Triangulation(from)));

        static GradeDistributionRequest Grades(string from) =>
            new() { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialQuarter, Period = new PeriodRange { FromMonth = from } };
        static TriangulationRequest Triangulation(string from) =>
            new() { Grain = TimeGrain.FinancialQuarter, Period = new PeriodRange { FromMonth = from } };
    }

    private static void InProcess(string snapshot, SemanticSpec spec)
    {
        using var query = new SemanticQuery(spec);
        var (sql, parameters, _) = query.Plan();
        using var connection = new DuckDBConnection($"Data Source={snapshot};ACCESS_MODE=READ_ONLY");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.Add(new DuckDBParameter(name, value));
        using var reader = cmd.ExecuteReader();
        var values = new object[reader.FieldCount];
        while (reader.Read()) reader.GetValues(values);
    }

    private static async Task<long> Decode(AsyncServerStreamingCall<ArrowChunk> call)
    {
        long rows = 0;
        foreach (var (_, batches) in await ArrowChunkReader.ReadBatchesAsync(call))
        {
            foreach (var batch in batches)
            {
                rows += batch.Length;
                batch.Dispose();
            }
        }
        return rows;
    }
}
