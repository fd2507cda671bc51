using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Grpc.Core;
using Grpc.Net.Client;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Models.Storage;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Ingest.Sample;
using QaAnalytics.Service;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Privacy;
using QaAnalytics.Service.Queries;
using QaAnalytics.Service.Semantic;
using QaAnalytics.Service.Snapshots;
using QaAnalytics.Testing;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Benchmarks;

/// <summary>
/// Service benchmark (issue 3 §5, partly): on the national-scale dataset, the service on real
/// HTTP/2 loopback against the same SQL run in-process through DuckDB.NET; a repeated identical
/// call (cache); and concurrent clients. Usage: bench service [--seconds S] [--clients N] [--work DIR] [--rounds R] [--only-ratio | --only-cached | --only-concurrent [--clients-in-process] [--think-ms T] [--warm-up W] | --only-stream | --profile-ratio [--sql] | --profile-write [--sql] | --profile-miss] [QaAnalytics:Setting=value …]
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

        if (args.Contains("--profile-write"))
        {
            // The engine without gRPC: DuckDB's run of the statement alone, then SemanticQuery.WriteAsync (DuckDB, disclosure, Arrow IPC), each with its peak RSS.
            var path = SnapshotSource.Resolve(Path.Combine(work, $"stream-db-{BenchMath.Arg(args, "--stream-rows", 10_000_000)}", "qa.duckdb"));
            var spec = new SemanticSpec
            {
                Columns = [new("kpi_rate", "kpi_rate"), new("kpi_numerator", "kpi_numerator"), new("kpi_denominator", "kpi_denominator")],
                GroupBy = OrgLevel.Council, Grain = PeriodGrain.Month, Period = new PeriodRange { FromMonth = "2016-04", ToMonth = "2026-03" }, Dimensions = ["kpi_code"],
            };
            if (args.Contains("--sql"))
            {
                using var shown = new SemanticQuery(spec);
                var plan = shown.Plan();
                Console.WriteLine(plan.Sql + "\n" + string.Join(", ", plan.Parameters.Select(p => $"{p.Key}={p.Value}")));
            }
            for (var i = 0; i < 2; i++)
            {
                using var connection = SnapshotDatabase.OpenReadOnly(path);
                DuckDbArrow.LimitMemory(connection, new ServiceOptions().DuckDbMemoryMegabytes);
                GC.Collect();
                PeakMemory.Reset();
                var sw = Stopwatch.StartNew();
                using (var query = new SemanticQuery(spec))
                {
                    var plan = query.Plan();
                    using var reader = DuckDbArrow.Open(connection, plan.Sql, plan.Parameters, CancellationToken.None);
                    while (await reader.NextAsync(CancellationToken.None) is { } batch) batch.Dispose();
                }
                Console.WriteLine($"DuckDB only: {sw.Elapsed.TotalSeconds:0.00} s; peak RSS {PeakMemory.Megabytes():N0} MB; GC heap {GC.GetTotalMemory(false) / 1e6:N0} MB");
                GC.Collect();
                PeakMemory.Reset();
                sw.Restart();
                using (var query = new SemanticQuery(spec))
                {
                    var result = await query.WriteAsync(connection, Disclosure.Off, null, [], CancellationToken.None);
                    Console.WriteLine($"WriteAsync: {sw.Elapsed.TotalSeconds:0.00} s, {result.RowCount:N0} rows, {result.Bytes / 1e6:N0} MB; peak RSS {PeakMemory.Megabytes():N0} MB; GC heap {GC.GetTotalMemory(false) / 1e6:N0} MB, server GC {System.Runtime.GCSettings.IsServerGC}");
                }
            }
            return 0;
        }
        if (args.Contains("--profile-ratio"))
        {
            // Section (a)'s work in-process, in phases: the baseline (DuckDB.NET's data reader), the same SQL read as Arrow, the engine's read and
            // calculation (RunAsync), its Arrow writing (ToArrow); exact figures, as the benchmark's caller sees them.
            var snapshotPath = SnapshotSource.Resolve(db);
            using var keptWarm = SnapshotDatabase.OpenReadOnly(snapshotPath);  // the baseline's instance kept warm, as in section (a)
            foreach (var (name, _, specOf) in Headline())
            {
                var phases = new Dictionary<string, List<double>>();
                void Add(string phase, Stopwatch sw) => (phases.TryGetValue(phase, out var l) ? l : phases[phase] = []).Add(sw.Elapsed.TotalMilliseconds);
                long rows = 0;
                for (var i = 0; i < 7; i++)
                {
                    var spec = specOf($"{2021 + i % 5}-{(i < 5 ? "04" : "10")}");
                    var sw = Stopwatch.StartNew();
                    InProcess(snapshotPath, spec);
                    Add("baseline (data reader)", sw);
                    using var connection = SnapshotDatabase.OpenReadOnly(snapshotPath);
                    using var query = new SemanticQuery(spec);
                    var plan = query.Plan();
                    if (i == 0 && args.Contains("--sql")) Console.WriteLine(plan.Sql + "\n" + string.Join(", ", plan.Parameters.Select(p => $"{p.Key}={p.Value}")));
                    if (i == 0 && args.Contains("--sql"))
                    {
                        using var types = DuckDbArrow.Open(connection, plan.Sql, plan.Parameters, CancellationToken.None);
                        Console.WriteLine(string.Join(", ", types.Schema.FieldsList.Select(f => $"{f.Name}:{f.DataType.Name}")));
                    }
                    sw.Restart();
                    using (var reader = DuckDbArrow.Open(connection, plan.Sql, plan.Parameters, CancellationToken.None))
                    {
                        while (await reader.NextAsync(CancellationToken.None) is { } batch) batch.Dispose();
                    }
                    Add("same SQL as Arrow", sw);
                    sw.Restart();
                    await query.RunAsync(connection, Disclosure.Off, CancellationToken.None);
                    Add("RunAsync (read + calculate)", sw);
                    sw.Restart();
                    rows = query.ToArrow([], []).RowCount;
                    Add("ToArrow", sw);
                }
                Console.WriteLine($"{name} ({rows:N0} rows), medians of 7 ms: " + string.Join("; ", phases.Select(p => $"{p.Key} {BenchMath.Median(p.Value):0.0}")));
            }
            // The service's question without the gate and gRPC (AnalyticsQueries, on the shared instance), then the RPC end to end, the result cache off.
            var profilePort = ServiceProcess.FreeLoopbackPort();
            await using var profiled = await StartInProcessAsync(db, profilePort, LogLevel.Warning, ("QaAnalytics:CacheMegabytes", "0"));
            using var profileChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{profilePort}", new GrpcChannelOptions { MaxReceiveMessageSize = null });
            var profileClient = new Contracts.V1.QaAnalytics.QaAnalyticsClient(profileChannel);
            var queries = profiled.Services.GetRequiredService<AnalyticsQueries>();
            var director = new QaAnalytics.Service.Security.Caller("bench", QaAnalytics.Service.Security.Role.Director, null, null, null);
            foreach (var (name, call, _) in Headline())
            {
                var (engine, rpc, first, received, size) = (new List<double>(), new List<double>(), new List<double>(), new List<double>(), 0L);
                for (var i = 0; i < 7; i++)
                {
                    var from = $"{2021 + i % 5}-{(i < 5 ? "04" : "10")}";
                    var period = new PeriodRange { FromMonth = from };
                    var sw = Stopwatch.StartNew();
                    if (name == "GetGradeDistribution")
                    {
                        await queries.GradeDistributionAsync(new GradeDistributionRequest { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialQuarter, Period = period }, director, CancellationToken.None);
                    }
                    else
                    {
                        await queries.TriangulationAsync(new TriangulationRequest { Grain = TimeGrain.FinancialQuarter, Period = period }, director, CancellationToken.None);
                    }
                    engine.Add(sw.Elapsed.TotalMilliseconds);
                    sw.Restart();
                    using (var streaming = call(profileClient, from))
                    {
                        var bytes = 0L;
                        await foreach (var chunk in streaming.ResponseStream.ReadAllAsync())
                        {
                            if (bytes == 0) first.Add(sw.Elapsed.TotalMilliseconds);
                            bytes += chunk.ArrowIpcChunk.Length;
                        }
                        received.Add(sw.Elapsed.TotalMilliseconds);
                        size = bytes;
                    }
                    sw.Restart();
                    await Decode(call(profileClient, from));
                    rpc.Add(sw.Elapsed.TotalMilliseconds);
                }
                Console.WriteLine($"{name}: AnalyticsQueries in-process (no gate, no gRPC) {BenchMath.Median(engine):0.0} ms; RPC: first chunk {BenchMath.Median(first):0.0} ms, all {size / 1e6:0.0} MB received {BenchMath.Median(received):0.0} ms; end to end with decoding {BenchMath.Median(rpc):0.0} ms");
            }
            return 0;
        }
        if (args.Contains("--profile-miss"))
        {
            // Section (d)'s miss (one council's service areas by financial year) in phases, one council after another, each computed
            // (the result cache off): DuckDB's run of the finished statement as Arrow, SemanticQuery.WriteAsync (plus disclosure and Arrow IPC),
            // the same finished by the calculator, AnalyticsQueries (plus the caller's scope and a connection; called directly, DuckDB
            // finishes), the RPC end to end with decoding (a small call: the calculator finishes), and of the RPC the time its DuckDB queries
            // took (their activities, from execution until their batches were released).
            var snapshotPath = SnapshotSource.Resolve(db);
            var missPort = ServiceProcess.FreeLoopbackPort();
            await using var missed = await StartInProcessAsync(db, missPort, LogLevel.Warning, ("QaAnalytics:CacheMegabytes", "0"));
            using var missChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{missPort}");
            var missClient = new Contracts.V1.QaAnalytics.QaAnalyticsClient(missChannel);
            var missQueries = missed.Services.GetRequiredService<AnalyticsQueries>();
            var boss = new QaAnalytics.Service.Security.Caller("bench", QaAnalytics.Service.Security.Role.Director, null, null, null);
            using var missDb = SnapshotDatabase.OpenReadOnly(snapshotPath);
            var phases = new Dictionary<string, List<double>>();
            var inRpc = new System.Collections.Concurrent.ConcurrentBag<double>();  // the RPC's DuckDB queries (their activities), ms
            using var listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == DuckDbArrow.TelemetryName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity => inRpc.Add(activity.Duration.TotalMilliseconds),
            };
            ActivitySource.AddActivityListener(listener);
            void Add(string phase, double ms) => (phases.TryGetValue(phase, out var l) ? l : phases[phase] = []).Add(ms);
            void Took(string phase, Stopwatch sw) => Add(phase, sw.Elapsed.TotalMilliseconds);
            for (var round = 0; round < 2; round++)  // the first round warms the code; the second is measured
            {
                phases.Clear();
                for (var council = 800; council < 950; council++)
                {
                    var request = ConcurrentClients.Request(council, TimeGrain.FinancialYear);
                    var spec = AnalyticsQueries.GradeDistributionSpec(request);
                    using var query = new SemanticQuery(spec);
                    var plan = query.Plan();
                    var sw = Stopwatch.StartNew();
                    using (var reader = DuckDbArrow.Open(missDb, plan.Sql, plan.Parameters, CancellationToken.None))
                    {
                        while (await reader.NextAsync(CancellationToken.None) is { } batch) batch.Dispose();
                    }
                    Took("DuckDB (the statement as Arrow)", sw);
                    sw.Restart();
                    using (var writing = new SemanticQuery(spec)) await writing.WriteAsync(missDb, Disclosure.Off, null, [], CancellationToken.None);
                    Took("SemanticQuery.WriteAsync", sw);
                    sw.Restart();
                    using (var writing = new SemanticQuery(spec) { FinishInSql = false }) await writing.WriteAsync(missDb, Disclosure.Off, null, [], CancellationToken.None);
                    Took("the same by the calculator", sw);
                    sw.Restart();
                    await missQueries.GradeDistributionAsync(request, boss, CancellationToken.None);
                    Took("AnalyticsQueries", sw);
                    sw.Restart();
                    inRpc.Clear();
                    await Decode(missClient.GetGradeDistribution(request));
                    Took("RPC", sw);
                    Add("of it DuckDB's queries", inRpc.Sum());
                }
            }
            // Who should finish exact figures (AnalyticsQueries.CalculatorBelowCells): DuckDB's finished statement against the calculator
            // over the counts, for GetGradeDistribution from one council to every council's teams by quarter; medians of 10 after 2.
            foreach (var (label, sized) in new (string, GradeDistributionRequest)[]
            {
                ("one council's teams by month", new() { GroupBy = OrgLevel.Team, Grain = TimeGrain.Month, Scope = new Scope { LaCodes = { "805" } } }),
                ("one council's teams by quarter", new() { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialQuarter, Scope = new Scope { LaCodes = { "805" } } }),
                ("every council's service areas by year", new() { GroupBy = OrgLevel.ServiceArea, Grain = TimeGrain.FinancialYear }),
                ("every council by quarter", new() { GroupBy = OrgLevel.Council, Grain = TimeGrain.FinancialQuarter }),
                ("every council's teams by year", new() { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialYear }),
                ("every council's teams by quarter", new() { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialQuarter }),
            })
            {
                var spec = AnalyticsQueries.GradeDistributionSpec(sized);
                var (inSql, calculated) = (new List<double>(), new List<double>());
                long rowsOut = 0;
                for (var rep = 0; rep < 12; rep++)
                {
                    foreach (var finish in new[] { true, false })
                    {
                        var sw = Stopwatch.StartNew();
                        using var query = new SemanticQuery(spec) { FinishInSql = finish };
                        rowsOut = (await query.WriteAsync(missDb, Disclosure.Off, null, [], CancellationToken.None)).RowCount;
                        if (rep >= 2) (finish ? inSql : calculated).Add(sw.Elapsed.TotalMilliseconds);
                    }
                }
                Console.WriteLine($"{label} (estimate {QaAnalytics.Service.Gate.PlanWeight.Estimate(sized, boss):0} cells, {rowsOut:N0} rows), SemanticQuery.WriteAsync: " +
                    $"finished by DuckDB {BenchMath.Median(inSql):0.0} ms, by the calculator {BenchMath.Median(calculated):0.0} ms");
            }
            Console.WriteLine("(d)'s miss, medians of 150 councils in turn, ms: " + string.Join("; ", phases.Select(p => $"{p.Key} {BenchMath.Median(p.Value):0.0} (p90 {BenchMath.Percentile(p.Value, 90):0.0})")));
            return 0;
        }
        if (args.Contains("--only-stream"))
        {
            Console.WriteLine("    " + await StreamAsync(work, db, BenchMath.Arg(args, "--stream-rows", 10_000_000)));
            return 0;
        }
        var ratios = new List<string>();
        var port = ServiceProcess.FreeLoopbackPort();
        // (a) asks for its seven periods this many times, each round ending them at a different March after the data (the same rows, a
        // different request), so every call computes with the result cache on. Three by default: medians of 7 calls swung from 1.13 to
        // 1.44 over four runs of unchanged code (2026-12-06).
        var rounds = BenchMath.Arg(args, "--rounds", 3);
        var settings = args.Where(a => a.StartsWith("QaAnalytics:", StringComparison.Ordinal)).Select(a => a.Split('=', 2)).Select(a => (a[0], a[1])).ToArray();
        foreach (var (key, value) in settings) Console.WriteLine($"setting {key} = {value}");
        await using var app = await StartInProcessAsync(db, port, LogLevel.Warning, settings);

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions { MaxReceiveMessageSize = null });
        var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);

        var onlyConcurrent = args.Contains("--only-concurrent");  // section (d) alone
        var onlyCached = args.Contains("--only-cached");  // section (b) alone
        // (a) Each headline RPC end to end (uncached: a distinct period each time) against the same SQL in-process.
        Console.WriteLine("(a) end-to-end RPC (client decode included) vs the same SQL through DuckDB.NET in-process, median of 7 × rounds:");
        var snapshot = SnapshotSource.Resolve(db);
        // One connection held open for the whole section keeps the baseline's DuckDB instance (and its buffers) alive between calls,
        // as the service's own instances are: each baseline call otherwise opened the file afresh and read it cold.
        var warmBaseline = SnapshotDatabase.OpenReadOnly(snapshot);  // closed after (a): its buffers are the benchmark's, not the service's, and would count in (c)'s RSS
        foreach (var (name, call, spec) in onlyConcurrent || onlyCached ? [] : Headline())
        {
            // Warm-up, not timed, on both sides: a period the timed calls do not ask for. Without the RPC's, its first timed calls paid for
            // compiling the service's code (tier-0 code and on-stack replacement) while the baseline's code was already warm.
            InProcess(snapshot, spec("2020-04"));
            await Decode(call(client, "2020-04"));
            var rpc = new List<double>();
            var direct = new List<double>();
            var arrow = new List<double>();
            var counts = new List<double>();
            for (var n = 0; n < 7 * rounds; n++)
            {
                var i = n % 7;
                var from = $"{2021 + i % 5}-{(i < 5 ? "04" : "10")}" + (n < 7 ? "" : $"..{2031 - n / 7}-03");  // 7 × rounds distinct requests: every call computes
                var sw = Stopwatch.StartNew();
                await Decode(call(client, from));
                rpc.Add(sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                InProcess(snapshot, spec(from));
                direct.Add(sw.Elapsed.TotalMilliseconds);
                // For reference, not in the ratio: the same statement read as Arrow batches, and the counts-only statement the calculator works from (what the RPC ran before DuckDB finished exact results, and still runs for suppressed audiences).
                using var query = new SemanticQuery(spec(from));
                sw.Restart();
                await DrainArrowAsync(snapshot, query.Plan());
                arrow.Add(sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                await DrainArrowAsync(snapshot, SqlPlanner.Plan(new ResolvedSpec(spec(from)), cellKeys: false));
                counts.Add(sw.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"    {name,-22} rpc {BenchMath.Median(rpc),8:0.0} ms   in-process {BenchMath.Median(direct),8:0.0} ms   overhead ratio {BenchMath.Median(rpc) / BenchMath.Median(direct):0.00} (goal <= 1.15)");
            Console.WriteLine($"    {"",-22} for reference: the same SQL read as Arrow {BenchMath.Median(arrow):0.0} ms (rpc ÷ that {BenchMath.Median(rpc) / BenchMath.Median(arrow):0.00}); the counts-only statement (the calculator's input) {BenchMath.Median(counts):0.0} ms (rpc ÷ that {BenchMath.Median(rpc) / BenchMath.Median(counts):0.00})");
            ratios.Add($"{name} team × quarter, RPC ÷ same SQL in-process: {BenchMath.Median(rpc) / BenchMath.Median(direct):0.00} (goal <= 1.15)");
        }
        warmBaseline.Dispose();
        if (args.Contains("--only-ratio")) return 0;  // section (a) alone

        // (b) A repeated identical call: answered from the result cache.
        var repeat = new GradeDistributionRequest { GroupBy = OrgLevel.Council, Grain = TimeGrain.FinancialYear };
        // Untimed first: the service's and the client's code for a cached answer compiled again, optimised (a few hundred calls in,
        // with tiered compilation), as on a service that has been up for a while. p50 of the first 200 calls of a fresh process: 1.5–2 ms.
        var warmCalls = 0;
        var warmClock = Stopwatch.StartNew();
        if (!onlyConcurrent)
        {
            // At least 500 calls, then on until a stretch of 200 calls compiles no method (tiered compilation has finished
            // optimising the hot path), for at most 20 s.
            for (; warmCalls < 500; warmCalls++) await Decode(client.GetGradeDistribution(repeat));
            for (var compiled = -1L; compiled != System.Runtime.JitInfo.GetCompiledMethodCount() && warmClock.Elapsed < TimeSpan.FromSeconds(20);)
            {
                compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
                await Task.Delay(200);  // tiered compilation's background work is timer-driven: let it run
                for (var i = 0; i < 200; i++, warmCalls++) await Decode(client.GetGradeDistribution(repeat));
            }
        }
        var cached = new List<double>();
        for (var i = 0; i < (onlyConcurrent ? 0 : 2000); i++)
        {
            var sw = Stopwatch.StartNew();
            await Decode(client.GetGradeDistribution(repeat));
            cached.Add(sw.Elapsed.TotalMilliseconds);
        }
        if (!onlyConcurrent) Console.WriteLine($"(b) repeated identical GetGradeDistribution (council × financial year, 750 rows; {cached.Count} calls after {warmCalls:N0} untimed in {warmClock.Elapsed.TotalSeconds:0.0} s): p50 {BenchMath.Percentile(cached, 50):0.00} ms (goal <= 1 ms), p90 {BenchMath.Percentile(cached, 90):0.00} ms");
        if (onlyCached) return 0;

        // (d) Concurrent clients, each on its own channel, mixing cached and uncached calls; in a process of their own unless --clients-in-process.
        var inProcess = args.Contains("--clients-in-process");
        var think = BenchMath.Arg(args, "--think-ms", 0);  // 0: each client calls again as soon as it has its answer
        var stalls = HostStalls.Measure(TimeSpan.FromSeconds(5));  // with the service idle: the floor the machine sets under (d)'s p99
        Console.WriteLine($"(d) first, {HostStalls.Describe(stalls)}");
        var warmUp = BenchMath.Arg(args, "--warm-up", 20);
        var (gcPause, gcCounts, jitCount, jitTime) = (TimeSpan.Zero, new int[3], 0L, TimeSpan.Zero);
        void Measuring() => (gcPause, gcCounts, jitCount, jitTime) = (GC.GetTotalPauseDuration(), Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray(),
            System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());
        var clientsRun = inProcess ? await ConcurrentClients.RunAsync(port, clients, seconds, think, warmUp, Measuring) : await ConcurrentClients.InOwnProcessAsync(port, clients, seconds, think, warmUp, Measuring);
        var cold = clientsRun.WarmUp;
        if (cold.Count > 0) Console.WriteLine($"(d) warm-up, not measured: {warmUp} s of the same clients asking by financial quarter, {cold.Count:N0} calls, p50 {BenchMath.Percentile(cold, 50):0.0} ms, p99 {BenchMath.Percentile(cold, 99):0.0} ms (ratio {BenchMath.Percentile(cold, 99) / BenchMath.Percentile(cold, 50):0.0}): a freshly started service and client compiling their hot code again, optimised");
        var (all, settled, errors) = (clientsRun.All, clientsRun.Settled, clientsRun.Errors);
        if (!onlyConcurrent) ratios.Add($"cached repeat p50: {BenchMath.Percentile(cached, 50):0.00} ms (goal <= 1 ms)");
        Console.WriteLine($"(d) {clients} concurrent clients ({(inProcess ? "in the service's process" : "in a process of their own")}{(think > 0 ? $", each pausing 0–{2 * think} ms between calls" : "")}{(warmUp > 0 ? $", after the warm-up" : "")}) for {seconds} s: {all.Count:N0} calls ({all.Count / (double)seconds:0} /s), p50 {BenchMath.Percentile(all, 50):0.0} ms, p99 {BenchMath.Percentile(all, 99):0.0} ms (ratio {BenchMath.Percentile(all, 99) / BenchMath.Percentile(all, 50):0.0}, goal <= 3), errors {errors} (goal 0)");
        Console.WriteLine($"    p90 {BenchMath.Percentile(all, 90):0.0} ms, p95 {BenchMath.Percentile(all, 95):0.0} ms, p99.9 {BenchMath.Percentile(all, 99.9):0.0} ms; the service's process meanwhile: gen0 {GC.CollectionCount(0) - gcCounts[0]}, gen1 {GC.CollectionCount(1) - gcCounts[1]}, gen2 {GC.CollectionCount(2) - gcCounts[2]} collections, paused {(GC.GetTotalPauseDuration() - gcPause).TotalMilliseconds:N0} ms; methods compiled {System.Runtime.JitInfo.GetCompiledMethodCount() - jitCount:N0} in {(System.Runtime.JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds:N0} ms");
        Console.WriteLine($"    of which started after the first 5 s: {settled.Count:N0} calls, p50 {BenchMath.Percentile(settled, 50):0.0} ms, p99 {BenchMath.Percentile(settled, 99):0.0} ms (ratio {BenchMath.Percentile(settled, 99) / BenchMath.Percentile(settled, 50):0.0})");
        var early = clientsRun.Early;
        Console.WriteLine($"    and in the first 5 s (the misses): {early.Count:N0} calls, p50 {BenchMath.Percentile(early, 50):0.0} ms, p90 {BenchMath.Percentile(early, 90):0.0} ms, p99 {BenchMath.Percentile(early, 99):0.0} ms, slowest {early.DefaultIfEmpty(0).Max():0.0} ms");
        ratios.Add($"{clients} clients: p99 ÷ p50 {BenchMath.Percentile(all, 99) / BenchMath.Percentile(all, 50):0.0} (goal <= 3), errors {errors} (goal 0); with every core busy the machine itself stalled (measured just before) {stalls.Stalls} of 10 ms or more in {stalls.Spun.TotalSeconds:0} s, {stalls.StalledShare:P1} of the time");
        await app.StopAsync();
        await app.DisposeAsync();  // its DuckDB instances (and their buffers) closed now, not at the end: they would count in (c)'s RSS

        if (!onlyConcurrent)
        {
            // Each in a process of its own (this benchmark with --only-stream), so its peak RSS is the service's and DuckDB's for that call,
            // not what this process kept of the phases before (DuckDB's allocator keeps freed memory for a while: about 600-900 MB here).
            ratios.Add(await StreamInOwnProcessAsync(work, 2_080_000));
            ratios.Add(await StreamInOwnProcessAsync(work, BenchMath.Arg(args, "--stream-rows", 10_000_000)));
        }
        Console.WriteLine("Issue 13's figures, this run:");
        foreach (var ratio in ratios) Console.WriteLine("    " + ratio);
        return 0;
    }

    /// <summary>Section (c) for <paramref name="targetRows"/> rows in a process of its own (<c>service --only-stream</c>): its lines echoed, its summary returned.</summary>
    private static async Task<string> StreamInOwnProcessAsync(string work, int targetRows)
    {
        using var process = BenchProcess.Start("service", "--work", work, "--only-stream", "--stream-rows", $"{targetRows}");
        string? summary = null;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("(c)", StringComparison.Ordinal)) Console.WriteLine(line);
            else if (line.Contains("-row Query, first call", StringComparison.Ordinal)) summary = line.Trim();
        }
        await process.WaitForExitAsync();
        return process.ExitCode == 0 && summary is not null ? summary : throw new InvalidOperationException($"Section (c) at {targetRows:N0} rows failed in its own process (exit code {process.ExitCode}).");
    }

    /// <summary>
    /// (c) A big Arrow stream over loopback: the generic Query (KPI rate by council × month × KPI)
    /// on a copy of the national snapshot with synthetic single-team councils added until the result
    /// has the rows asked for; decoded batch by batch as it arrives. The first call computes (DuckDB,
    /// disclosure, Arrow), timed against DuckDB's own run of the same SQL in-process (Arrow out), with
    /// the process's peak resident memory during the call; the repeat is served from the result
    /// cache, so it times the stream itself. Returns the issue-13 summary line.
    /// </summary>
    private static async Task<string> StreamAsync(string work, string nationalDb, int targetRows)
    {
        var db = Path.Combine(work, $"stream-db-{targetRows}", "qa.duckdb");
        if (!File.Exists(db))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(db)!);
            File.Copy(SnapshotSource.Resolve(nationalDb), db + ".partial", overwrite: true);
            SyntheticKpiRows.Add(db + ".partial", targetRows, "bench");
            File.Move(db + ".partial", db);
        }

        var request = new QueryRequest
        {
            Measures = { "kpi_rate" }, Dimensions = { "kpi_code" }, Grain = TimeGrain.Month,
            Period = new PeriodRange { FromMonth = "2016-04", ToMonth = "2026-03" },
        };
        var port = ServiceProcess.FreeLoopbackPort();
        await using var app = await StartInProcessAsync(db, port, LogLevel.Warning, ("QaAnalytics:CacheMegabytes", "16384"), ("QaAnalytics:QueryTimeoutSeconds", "1800"));
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions { MaxReceiveMessageSize = null });
        var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);
        var first = (Seconds: 0.0, MegabytesPerSecond: 0.0, Rows: 0L, PeakMegabytes: 0L);
        var again = (Seconds: 0.0, MegabytesPerSecond: 0.0);
        var sendingCpu = 0.0;  // CPU seconds of this process (service and client) for the repeat from the cache: sending and decoding alone
        // The third asks for the same rows spelt another way (from a month before the data), so it computes again, on a service that
        // has done so once: its code compiled and DuckDB's allocator and the heavy lane's instance warm, as on a service that has been up.
        var warmed = new QueryRequest(request) { Period = new PeriodRange { FromMonth = "2016-01", ToMonth = "2026-03" } };
        // The fourth, spelt a third way, asks for the rows as they are computed (send_while_computing).
        var live = new QueryRequest(request) { Period = new PeriodRange { FromMonth = "2015-12", ToMonth = "2026-03" }, SendWhileComputing = true };
        var sentWhileComputing = (Seconds: 0.0, MegabytesPerSecond: 0.0);
        foreach (var (label, asked) in new[]
                 {
                     ("first call (computed)", request), ("repeat (from the result cache)", request), ("the same rows asked another way (computed again, on the warmed service)", warmed),
                     ("the same rows asked a third way, sent while computing (send_while_computing, on the warmed service)", live),
                 })
        {
            // What earlier phases left (freed managed memory the runtime keeps) returned to the system first, so the peak is this call's.
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            PeakMemory.Reset();
            var atStart = PeakMemory.Megabytes();
            long nonNull = 0;
            var cpu = CpuSeconds();
            var sw = Stopwatch.StartNew();
            var firstRows = -1.0;  // seconds until the first batch was decoded
            var (metadata, rows, bytes) = await ArrowChunkReader.StreamAsync(client.Query(asked, deadline: DateTime.UtcNow.AddMinutes(30)), batch =>
            {
                if (firstRows < 0) firstRows = sw.Elapsed.TotalSeconds;
                nonNull += batch.Length - batch.Column(batch.Schema.GetFieldIndex("kpi_rate")).NullCount;
            });
            var seconds = sw.Elapsed.TotalSeconds;
            if (first.Rows != 0 && ReferenceEquals(asked, request)) sendingCpu = CpuSeconds() - cpu;
            var peak = PeakMemory.Megabytes();
            Console.WriteLine($"(c) {rows:N0}-row Arrow stream, {label}: {bytes / 1e6:N0} MB in {seconds:0.00} s = {bytes / 1e6 / seconds:N0} MB/s, {rows / seconds:N0} rows/s decoded ({nonNull:N0} rates), the first rows after {firstRows:0.00} s{(metadata?.RowCount == 0 ? " (sent before the count was known)" : "")}; peak RSS of the process {(peak < 0 ? "unknown" : $"{peak:N0} MB (at the start {atStart:N0} MB)")}");
            if (first.Rows == 0) first = (seconds, bytes / 1e6 / seconds, rows, peak);
            else if (rows != first.Rows) throw new InvalidOperationException($"The same rows asked another way gave {rows:N0} rows, not {first.Rows:N0}.");
            else if (ReferenceEquals(asked, warmed)) again = (seconds, bytes / 1e6 / seconds);
            else if (ReferenceEquals(asked, live)) sentWhileComputing = (seconds, bytes / 1e6 / seconds);
        }
        await app.StopAsync();

        // DuckDB's own run of the same statement (grouping, join, sort), Arrow out, in this process.
        var own = new List<double>();
        var unorderedCpu = new List<double>();
        SqlPlan? statement = null;
        for (var i = 0; i < 6; i++)
        {
            var sw = Stopwatch.StartNew();
            var cpu = CpuSeconds();
            using var query = new SemanticQuery(new SemanticSpec
            {
                Columns = [new("kpi_rate", "kpi_rate"), new("kpi_numerator", "kpi_numerator"), new("kpi_denominator", "kpi_denominator")],
                GroupBy = OrgLevel.Council, Grain = PeriodGrain.Month, Period = request.Period, Dimensions = ["kpi_code"],
            });
            var plan = statement = query.Plan();
            using var connection = SnapshotDatabase.OpenReadOnly(SnapshotSource.Resolve(db));
            DuckDbArrow.LimitMemory(connection, new ServiceOptions().DuckDbMemoryMegabytes);  // as the service runs it
            // Runs 0-2 the statement as the service runs it; 3-5 without its closing ORDER BY, for the CPU it takes.
            using var reader = DuckDbArrow.Open(connection, i < 3 ? plan.Sql : StreamCeiling.Unordered(plan.Sql), plan.Parameters, CancellationToken.None);
            while (await reader.NextAsync(CancellationToken.None) is { } batch) batch.Dispose();
            if (i < 3) own.Add(sw.Elapsed.TotalSeconds);
            else unorderedCpu.Add(CpuSeconds() - cpu);
        }
        var duckDb = BenchMath.Median(own);
        // DuckDB's own rate: the result's bytes over the statement's time alone, the most any call computing it could reach end to end.
        var ceiling = first.MegabytesPerSecond * first.Seconds / duckDb;
        Console.WriteLine($"(c) the same SQL run by DuckDB in-process (Arrow out, the service's memory limit, median of 3): {duckDb:0.00} s, as the result's bytes {ceiling:N0} MB/s; first call ÷ DuckDB: {first.Seconds / duckDb:0.00} (goal <= 2)");
        // What a service could give end to end: DuckDB's batches sent as they come by a bare gRPC server, decoded by the same client.
        var (bare, unordered) = await StreamCeiling.MeasureAsync(SnapshotSource.Resolve(db), statement!.Sql, statement.Parameters);
        if (bare.Rows != first.Rows || unordered.Rows != first.Rows) throw new InvalidOperationException($"The bare server sent {bare.Rows:N0} and {unordered.Rows:N0} rows, not {first.Rows:N0}.");
        Console.WriteLine($"(c) a bare gRPC server sending DuckDB's batches as DuckDB hands them over (no service around it, no row count first; median of 3): the service's statement {bare.Seconds:0.00} s = {bare.MegabytesPerSecond:N0} MB/s end to end; without its ORDER BY {unordered.Seconds:0.00} s = {unordered.MegabytesPerSecond:N0} MB/s (goal >= 200 MB/s)");
        // A bound from CPU time: the least computing (DuckDB's statement without its order) plus sending and decoding (the cached repeat), spread perfectly over every core.
        var bound = (BenchMath.Median(unorderedCpu) + sendingCpu) / Environment.ProcessorCount;
        var bytesPerCall = first.MegabytesPerSecond * first.Seconds;
        Console.WriteLine($"(c) CPU: DuckDB's statement without its ORDER BY {BenchMath.Median(unorderedCpu):0.00} CPU-s (median of 3), sending and decoding the cached result {sendingCpu:0.00} CPU-s; on {Environment.ProcessorCount} cores, perfectly overlapped, no call computing this result with DuckDB and sending it as the service sends can end before {bound:0.00} s = {bytesPerCall / bound:N0} MB/s");
        return $"{first.Rows:N0}-row Query, first call: {first.Seconds:0.00} s, {first.MegabytesPerSecond:N0} MB/s end to end (goal >= 200 MB/s; DuckDB's statement alone {ceiling:N0} MB/s; a bare server streaming DuckDB's batches {bare.MegabytesPerSecond:N0} MB/s, {unordered.MegabytesPerSecond:N0} MB/s unordered), {first.Seconds / duckDb:0.00} × DuckDB's own {duckDb:0.00} s (goal <= 2), peak RSS {first.PeakMegabytes:N0} MB (goal <= 2,048); computed again on the warmed service: {again.Seconds:0.00} s, {again.MegabytesPerSecond:N0} MB/s, {again.Seconds / duckDb:0.00} ×; sent while computing: {sentWhileComputing.Seconds:0.00} s, {sentWhileComputing.MegabytesPerSecond:N0} MB/s, {sentWhileComputing.Seconds / duckDb:0.00} ×";
    }

    /// <summary>CPU time this process has used, all threads, in seconds.</summary>
    private static double CpuSeconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
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

        static GradeDistributionRequest Grades(string period) =>
            new() { GroupBy = OrgLevel.Team, Grain = TimeGrain.FinancialQuarter, Period = Range(period) };
        static TriangulationRequest Triangulation(string period) =>
            new() { Grain = TimeGrain.FinancialQuarter, Period = Range(period) };
        // "yyyy-mm" (to the end of the data) or "yyyy-mm..yyyy-mm".
        static PeriodRange Range(string period) => period.Split("..") is [var from, var to] ? new() { FromMonth = from, ToMonth = to } : new() { FromMonth = period };
    }

    private static void InProcess(string snapshot, SemanticSpec spec)
    {
        using var query = new SemanticQuery(spec);
        var (sql, parameters, _) = query.Plan();
        using var connection = SnapshotDatabase.OpenReadOnly(snapshot);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.Add(new DuckDBParameter(name, value));
        using var reader = cmd.ExecuteReader();
        var values = new object[reader.FieldCount];
        while (reader.Read()) reader.GetValues(values);
    }

    private static async Task DrainArrowAsync(string snapshot, SqlPlan plan)
    {
        using var connection = SnapshotDatabase.OpenReadOnly(snapshot);
        using var reader = DuckDbArrow.Open(connection, plan.Sql, plan.Parameters, CancellationToken.None);
        while (await reader.NextAsync(CancellationToken.None) is { } batch) batch.Dispose();
    }

    /// <summary>Reads and decodes a call's whole answer, as a client would; returns its rows.</summary>
    internal static async Task<long> Decode(AsyncServerStreamingCall<ArrowChunk> call)
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

    /// <summary>The process's peak resident memory (Linux: VmHWM, reset through /proc/self/clear_refs).</summary>
    private static class PeakMemory
    {
        public static void Reset()
        {
            try
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
            }
            catch (IOException)
            {
                // Not Linux, or not allowed: the peak is then the process's since it started.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        /// <summary>Peak resident set size in MB, or -1 where /proc is not there.</summary>
        public static long Megabytes()
        {
            if (!File.Exists("/proc/self/status")) return -1;
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
    }
}
