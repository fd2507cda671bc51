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
using QaAnalytics.Service.Snapshots;

namespace QaAnalytics.Benchmarks;

/// <summary>
/// Service benchmark (issue 3 §5, partly): on the national-scale dataset, the service on real
/// HTTP/2 loopback against the same SQL run in-process through DuckDB.NET; a repeated identical
/// call (cache); and concurrent clients. Usage: bench service [--seconds S] [--clients N] [--work DIR]
/// </summary>
public static class ServiceBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = BenchMath.Arg(args, "--seconds", 30);
        var clients = BenchMath.Arg(args, "--clients", 64);
        var work = args.SkipWhile(a => a != "--work").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "qa-bench");
        var input = Path.Combine(work, "sample-150x5");
        var db = Path.Combine(work, "service-db", "qa.duckdb");
        if (!File.Exists(Path.Combine(input, "complaints.csv"))) SampleGenerator.Write(new SampleOptions(input, 150, 5));
        if (!File.Exists(db))
        {
            var report = await new Loader(Pseudonymiser.Demo(), TimeProvider.System).LoadAsync(new LoadRequest(db, input));
            Console.WriteLine($"loaded {report.RowsAccepted:N0} rows into {db}");
        }

        var port = ServiceProcess.FreeLoopbackPort();
        var builder = WebApplication.CreateBuilder([]);
        builder.Configuration["QaAnalytics:DatabasePath"] = db;
        builder.Configuration["QaAnalytics:Port"] = port.ToString(CultureInfo.InvariantCulture);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddQaAnalytics();
        await using var app = builder.Build();
        app.MapQaAnalytics();
        await app.StartAsync();

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions { MaxReceiveMessageSize = null });
        var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);

        // (a) Each headline RPC end to end (uncached: a distinct period each time) against the same SQL in-process.
        Console.WriteLine("(a) end-to-end RPC (client decode included) vs the same SQL through DuckDB.NET in-process, median of 7:");
        var snapshot = SnapshotSource.Resolve(db);
        foreach (var (name, call, sql) in Headline())
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
                InProcess(snapshot, sql, from);
                direct.Add(sw.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"    {name,-22} rpc {BenchMath.Median(rpc),8:0.0} ms   in-process {BenchMath.Median(direct),8:0.0} ms   overhead ratio {BenchMath.Median(rpc) / BenchMath.Median(direct):0.00} (goal <= 1.15)");
        }

        // (b) A repeated identical call: answered from the result cache.
        var repeat = new GradeDistributionRequest { GroupBy = OrgLevel.Council, Grain = TimeGrain.FinancialYear };
        await Decode(client.GetGradeDistribution(repeat));
        var cached = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var sw = Stopwatch.StartNew();
            await Decode(client.GetGradeDistribution(repeat));
            cached.Add(sw.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"(b) repeated identical GetGradeDistribution (council × financial year, 750 rows; {cached.Count} calls): p50 {BenchMath.Percentile(cached, 50):0.00} ms (goal <= 2 ms)");

        // (d) Concurrent clients, each on its own channel, mixing cached and uncached calls.
        var latencies = new List<double>[clients];
        var errors = 0;
        var stop = DateTime.UtcNow.AddSeconds(seconds);
        var tasks = Enumerable.Range(0, clients).Select(async c =>
        {
            latencies[c] = [];
            using var own = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
            var cl = new Contracts.V1.QaAnalytics.QaAnalyticsClient(own);
            var n = 0;
            while (DateTime.UtcNow < stop)
            {
                var sw = Stopwatch.StartNew();
                try
                {
                    var request = new GradeDistributionRequest { GroupBy = OrgLevel.ServiceArea, Grain = TimeGrain.FinancialYear, Scope = new Scope { LaCodes = { (800 + (c + n++) % 150).ToString(CultureInfo.InvariantCulture) } } };
                    await Decode(cl.GetGradeDistribution(request, deadline: DateTime.UtcNow.AddSeconds(30)));
                    lock (latencies[c]) latencies[c].Add(sw.Elapsed.TotalMilliseconds);
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }).ToArray();
        await Task.WhenAll(tasks);
        var all = latencies.SelectMany(l => l).ToList();
        Console.WriteLine($"(d) {clients} concurrent clients for {seconds} s: {all.Count:N0} calls ({all.Count / (double)seconds:0} /s), p50 {BenchMath.Percentile(all, 50):0.0} ms, p99 {BenchMath.Percentile(all, 99):0.0} ms (ratio {BenchMath.Percentile(all, 99) / BenchMath.Percentile(all, 50):0.0}, goal <= 5), errors {errors} (goal 0)");
        Console.WriteLine("(c) 10M-row Arrow stream throughput: not measured yet (needs the generic query RPC).");
        await app.StopAsync();
        return 0;
    }

    private static IEnumerable<(string Name, Func<Contracts.V1.QaAnalytics.QaAnalyticsClient, string, AsyncServerStreamingCall<ArrowChunk>> Call, string Sql)> Headline()
    {
        yield return ("GetGradeDistribution", (c, from) => c.GetGradeDistribution(new GradeDistributionRequest
            { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialQuarter, Period = new PeriodRange { FromMonth = from } }),
            QaAnalytics.Service.Queries.SqlText.Get("grade_distribution.sql")
                .Replace("{org}", "la_code, service_area, team_id, team_name").Replace("{period}", "financial_quarter_label").Replace("{scope}", ""));
        yield return ("GetTriangulation", (c, from) => c.GetTriangulation(new TriangulationRequest
            { Grain = TimeGrain.FinancialQuarter, Period = new PeriodRange { FromMonth = from } }),
            QaAnalytics.Service.Queries.SqlText.Get("triangulation.sql")
                .Replace("{org_using}", "la_code, service_area, team_id, team_name").Replace("{org}", "la_code, service_area, team_id, team_name")
                .Replace("{period}", "financial_quarter_label").Replace("{scope}", ""));
    }

    private static void InProcess(string snapshot, string sql, string from)
    {
        using var connection = new DuckDBConnection($"Data Source={snapshot};ACCESS_MODE=READ_ONLY");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.Add(new DuckDBParameter("from", DateOnly.ParseExact(from + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture)));
        cmd.Parameters.Add(new DuckDBParameter("to", new DateOnly(2030, 12, 1)));
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
