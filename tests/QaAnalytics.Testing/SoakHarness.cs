using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Ingest.Sample;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Testing;

/// <summary>What the soak runs: built binaries, a work folder, how many clients for how long, and how many loads to publish (0: back to back).</summary>
public sealed record SoakOptions(string IngestDll, string ServiceDll, string WorkDir, int Seconds = 60, int Clients = 64, int Loads = 0, int Councils = 4, int Seed = 1);

/// <summary>The soak's figures: calls, latency percentiles (ms), failed calls by status, snapshots served and published.</summary>
public sealed record SoakSummary(int Calls, double P50, double P99, IReadOnlyDictionary<string, int> Errors, IReadOnlyList<string> SnapshotsSeen,
    IReadOnlyList<string> SnapshotsPublished, IReadOnlyList<string> Problems)
{
    public int ErrorCount => Errors.Values.Sum();
}

/// <summary>
/// Issue 5 §2, service side: qa-service (its own process, as deployed) answers <see cref="SoakOptions.Clients"/>
/// concurrent clients — each on its own channel, every RPC in turn with varied valid requests,
/// every answer decoded — for <see cref="SoakOptions.Seconds"/> while <c>qa-ingest load --force</c>
/// (its own process) publishes new snapshots. Expected: 0 errors, every answer's tables from one
/// snapshot, and the new snapshots served without a restart.
/// </summary>
public static class SoakHarness
{
    public static async Task<SoakSummary> RunAsync(SoakOptions options, TextWriter log, CancellationToken ct = default)
    {
        if (Directory.Exists(options.WorkDir)) Directory.Delete(options.WorkDir, recursive: true);
        var input = Path.Combine(options.WorkDir, "sample");
        var db = Path.Combine(options.WorkDir, "live", "qa.duckdb");
        SampleGenerator.Write(new SampleOptions(input, Councils: options.Councils, Years: 3, Seed: options.Seed));
        var published = new List<string>();
        if (await Load(options, db, input, force: false, ct) != 0) throw new InvalidOperationException("the first load failed");
        published.Add(KillHarness.Read(db).SnapshotId);

        var port = ServiceProcess.FreeLoopbackPort();
        using var service = ServiceProcess.Start(options.ServiceDll, db, port, out var serviceLog);
        var problems = new ConcurrentQueue<string>();
        var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var seen = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<double>();
        try
        {
            await ServiceProcess.WaitUntilServing(service, port, serviceLog, TimeSpan.FromSeconds(60), ct);
            var clock = Stopwatch.StartNew();
            var duration = TimeSpan.FromSeconds(options.Seconds);
            var loadsDone = TimeSpan.MaxValue;
            var clients = Enumerable.Range(0, options.Clients).Select(c => Task.Run(() => Client(c), ct)).ToArray();
            // Loads while the clients run: the first after a tenth of the time, then back to back (or as many as asked).
            await Task.Delay(duration / 10, ct);
            while (clock.Elapsed < duration * 0.8 && (options.Loads == 0 || published.Count <= options.Loads))
            {
                var exit = await Load(options, db, input, force: true, ct);
                if (exit != 0) problems.Enqueue($"a load during the soak exited with {exit}");
                else published.Add(KillHarness.Read(db).SnapshotId);
            }
            loadsDone = clock.Elapsed;
            await Task.WhenAll(clients);

            async Task Client(int c)
            {
                using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
                var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);
                var random = new Random(options.Seed * 1000 + c);
                // Until the time is up and the last snapshot has been served for a second (a slow load overruns the time).
                while (clock.Elapsed < duration || clock.Elapsed - TimeSpan.FromSeconds(1) < loadsDone)
                {
                    var (rpc, call) = Request(client, random, ct);
                    var sw = Stopwatch.StartNew();
                    try
                    {
                        var tables = await ArrowChunkReader.ReadAsync(call, ct);
                        latencies.Add(sw.Elapsed.TotalMilliseconds);
                        var ids = tables.Select(t => t.Metadata.SnapshotId).Distinct(StringComparer.Ordinal).ToList();
                        if (ids.Count != 1) problems.Enqueue($"{rpc} answered from {ids.Count} snapshots at once: {string.Join(", ", ids)}");
                        foreach (var id in ids) seen.AddOrUpdate(id, 1, (_, n) => n + 1);
                    }
                    catch (RpcException ex)
                    {
                        errors.AddOrUpdate(ex.StatusCode.ToString(), 1, (_, n) => n + 1);
                        if (errors.Values.Sum() <= 10) problems.Enqueue($"{rpc}: {ex.Status.StatusCode} {ex.Status.Detail}");
                    }
                }
            }
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync(CancellationToken.None);
        }
        var all = latencies.ToList();
        var order = published.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        var seenIds = seen.Keys.OrderBy(id => order.GetValueOrDefault(id, int.MaxValue)).ToList();
        foreach (var id in seenIds)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  snapshot {id}: {seen[id]:N0} answers{(order.ContainsKey(id) ? "" : " (NOT one this soak published)")}"));
        }
        return new SoakSummary(all.Count, BenchMath.Percentile(all, 50), BenchMath.Percentile(all, 99), new Dictionary<string, int>(errors, StringComparer.Ordinal),
            seenIds, published, [.. problems]);
    }

    /// <summary>Every RPC but GetRiskFlags (no model has scored these snapshots), with varied valid arguments so the cache answers only some.</summary>
    private static (string Rpc, AsyncServerStreamingCall<ArrowChunk> Call) Request(Contracts.V1.QaAnalytics.QaAnalyticsClient client, Random random, CancellationToken ct)
    {
        var period = new PeriodRange { FromMonth = $"{random.Next(2022, 2025)}-{random.Next(1, 13):00}" };
        var level = (OrgLevel)random.Next(1, 4);
        var grain = (TimeGrain)random.Next(1, 5);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        return random.Next(9) switch
        {
            0 => ("GetCatalogue", client.GetCatalogue(new CatalogueRequest(), deadline: deadline, cancellationToken: ct)),
            1 => ("GetGradeDistribution", client.GetGradeDistribution(new GradeDistributionRequest { Period = period, GroupBy = level, Grain = (TimeGrain)random.Next(1, 6) }, deadline: deadline, cancellationToken: ct)),
            2 => ("GetTriangulation", client.GetTriangulation(new TriangulationRequest { Period = period, GroupBy = level, Grain = grain }, deadline: deadline, cancellationToken: ct)),
            3 => ("GetModeration", client.GetModeration(new ModerationRequest { Period = period, GroupBy = level, Grain = grain, ByAuditor = random.Next(2) == 0 }, deadline: deadline, cancellationToken: ct)),
            4 => ("GetAuditCompliance", client.GetAuditCompliance(new AuditComplianceRequest { Period = period, GroupBy = level, Grain = grain }, deadline: deadline, cancellationToken: ct)),
            5 => ("GetInadequateFollowUp", client.GetInadequateFollowUp(new InadequateFollowUpRequest { Period = period, GroupBy = level, Grain = grain }, deadline: deadline, cancellationToken: ct)),
            6 => ("GetComplaints", client.GetComplaints(new ComplaintsRequest { Period = period, GroupBy = level, Grain = grain }, deadline: deadline, cancellationToken: ct)),
            7 => ("GetKpiTrend", client.GetKpiTrend(new KpiTrendRequest { Period = period, GroupBy = level, Grain = grain }, deadline: deadline, cancellationToken: ct)),
            _ => ("Query", client.Query(new QueryRequest
            {
                Measures = { "effective_good_or_better_share", "return_rate" }, Period = period, GroupBy = level, Grain = grain,
                ComparePreviousPeriod = random.Next(2) == 0,
            }, deadline: deadline, cancellationToken: ct)),
        };
    }

    private static async Task<int> Load(SoakOptions options, string db, string input, bool force, CancellationToken ct)
    {
        using var load = KillHarness.StartLoad(options.IngestDll, db, input, force);
        await load.WaitForExitAsync(ct);
        return load.ExitCode;
    }
}
