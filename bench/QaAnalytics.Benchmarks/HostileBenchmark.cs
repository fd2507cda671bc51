using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Ingest.Sample;
using QaAnalytics.Testing;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Benchmarks;

/// <summary>
/// Hostile-caller benchmark (issue 10 §4): the p99 of small calls by one caller, first on a quiet
/// service, then while two hostile callers each keep several of the costliest requests they may make
/// in flight (every count by team × month × audit type × auditor, over every month), and send
/// oversized lists (50,000 la_codes). Real HTTP/2 on loopback, JWT callers (the fair share is per
/// caller), result cache off so every call queries DuckDB. The hostile callers read every message of
/// their results but do not decode the Arrow (unless --decode): in this one process that would be CPU
/// taken from the service, where a real caller spends its own.
/// Usage: bench hostile [--seconds S] [--warm-up S] [--in-flight N] [--councils C] [--decode] [--work DIR] [QaAnalytics:Setting=value …]
/// </summary>
public static class HostileBenchmark
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)(i * 11)).ToArray();
    private const string Issuer = "https://bench.invalid/";
    private const string Audience = "qa-bench";

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = BenchMath.Arg(args, "--seconds", 20);
        var inFlight = BenchMath.Arg(args, "--in-flight", 4);
        var councils = BenchMath.Arg(args, "--councils", 20);
        var work = args.SkipWhile(a => a != "--work").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "qa-bench-hostile");
        var input = Path.Combine(work, $"sample-{councils}x3");
        var db = Path.Combine(work, $"db-{councils}x3", "qa.duckdb");
        if (!File.Exists(Path.Combine(input, "complaints.csv"))) SampleGenerator.Write(new SampleOptions(input, councils, 3));
        if (!File.Exists(db))
        {
            var report = await new Loader(Pseudonymiser.Demo(), TimeProvider.System).LoadAsync(new LoadRequest(db, input));
            Console.WriteLine($"loaded {report.RowsAccepted:N0} rows into {db}");
        }
        var port = ServiceProcess.FreeLoopbackPort();
        var settings = new List<(string, string)>
        {
            ("QaAnalytics:CacheMegabytes", "0"),
            ("QaAnalytics:Auth:Mode", "Jwt"), ("QaAnalytics:Auth:Issuer", Issuer), ("QaAnalytics:Auth:Audience", Audience),
            ("QaAnalytics:Auth:SigningKeys:0", Convert.ToBase64String(Key)),
        };
        foreach (var extra in args.Where(a => a.StartsWith("QaAnalytics:", StringComparison.Ordinal)).Select(a => a.Split('=', 2)))
        {
            settings.Add((extra[0], extra[1]));
            Console.WriteLine($"setting {extra[0]} = {extra[1]}");
        }
        await using var app = await ServiceBenchmark.StartInProcessAsync(db, port, LogLevel.Warning, [.. settings]);

        await SmallCallsAsync(port, 3, CancellationToken.None);  // warm: the first calls compile and cache the plan
        var quiet = await SmallCallsAsync(port, seconds, CancellationToken.None);
        Console.WriteLine($"quiet: {quiet.Count} small calls, p50 {BenchMath.Percentile(quiet, 50):0.0} ms, p99 {BenchMath.Percentile(quiet, 99):0.0} ms");

        using var stop = new CancellationTokenSource();
        var decode = args.Contains("--decode");
        Console.WriteLine(decode ? "the hostile callers decode their results, in this process" : "the hostile callers read their results without decoding them (--decode to decode)");
        var hostile = new[] { "hostile-1", "hostile-2" }.Select((name, i) => HostileAsync(port, name, (801 + i).ToString(CultureInfo.InvariantCulture), inFlight, decode, stop.Token)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(BenchMath.Arg(args, "--warm-up", 20)));  // the hostile callers fill the queue and show what they cost
        var loaded = await SmallCallsAsync(port, seconds, CancellationToken.None);
        await stop.CancelAsync();
        var results = await Task.WhenAll(hostile);
        Console.WriteLine($"with 2 hostile callers ({inFlight} costly calls in flight each: {results.Sum(r => r.Done)} done, median {BenchMath.Median(results.SelectMany(r => r.CostlyMs).DefaultIfEmpty(0).ToList()):0} ms end to end, {results.Sum(r => r.Failed)} failed; {results.Sum(r => r.Oversized)} oversized lists refused, median {BenchMath.Median(results.SelectMany(r => r.OversizedMs).ToList()):0.0} ms): "
            + $"{loaded.Count} small calls, p50 {BenchMath.Percentile(loaded, 50):0.0} ms, p99 {BenchMath.Percentile(loaded, 99):0.0} ms");
        Console.WriteLine($"hostile-caller line: small-call p99 {BenchMath.Percentile(loaded, 99):0.0} ms vs quiet {BenchMath.Percentile(quiet, 99):0.0} ms = {BenchMath.Percentile(loaded, 99) / BenchMath.Percentile(quiet, 99):0.00} × (goal <= 2)");
        await app.StopAsync();
        return 0;
    }

    /// <summary>One caller's small calls in a row: its council's grade distribution by financial year (uncached).</summary>
    private static async Task<List<double>> SmallCallsAsync(int port, int seconds, CancellationToken ct)
    {
        using var channel = Channel(port, Token("director", "800", "small-1"));
        var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);
        var latencies = new List<double>();
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            var sw = Stopwatch.StartNew();
            await ArrowChunkReader.ReadAsync(client.GetGradeDistribution(new GradeDistributionRequest { Grain = TimeGrain.FinancialYear }, deadline: DateTime.UtcNow.AddSeconds(120), cancellationToken: ct), ct);
            latencies.Add(sw.Elapsed.TotalMilliseconds);
        }
        return latencies;
    }

    private sealed record Hostile(int Done, int Failed, int Oversized, List<double> OversizedMs, List<double> CostlyMs);

    /// <summary>A caller keeping <paramref name="inFlight"/> of its costliest allowed calls running, and sending oversized lists between them.</summary>
    private static async Task<Hostile> HostileAsync(int port, string subject, string laCode, int inFlight, bool decode, CancellationToken ct)
    {
        using var channel = Channel(port, Token("director", laCode, subject));
        var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);
        var done = 0;
        var failed = 0;
        var costlyMs = new List<double>();
        var oversized = 0;
        var oversizedMs = new List<double>();
        var costly = new QueryRequest
        {
            Measures = { "audits", "effective_good_or_better_share", "mean_grade_score", "agreement_rate", "moderated_share" },
            GroupBy = OrgLevel.Team, Grain = TimeGrain.Rolling12Months, Dimensions = { "audit_type", "auditor_id" }, ComparePreviousPeriod = true,
        };
        var huge = new GradeDistributionRequest { Scope = new Scope { LaCodes = { Enumerable.Range(0, 50_000).Select(i => i.ToString(CultureInfo.InvariantCulture)) } } };
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async lane =>
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    var call = Stopwatch.StartNew();
                    // Read every message, but (without --decode) do not decode the Arrow: a hostile caller
                    // spends its own CPU on that, and here it would be the service's (clients and service share the cores).
                    using var costlyCall = client.Query(costly, deadline: DateTime.UtcNow.AddSeconds(120), cancellationToken: ct);
                    if (decode)
                    {
                        await ArrowChunkReader.ReadAsync(costlyCall, ct);
                    }
                    else
                    {
                        await foreach (var _ in costlyCall.ResponseStream.ReadAllAsync(ct))
                        {
                        }
                    }
                    lock (costlyMs) costlyMs.Add(call.Elapsed.TotalMilliseconds);
                    Interlocked.Increment(ref done);
                }
                catch (Exception) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref failed);
                }
                if (lane != 0) continue;
                var sw = Stopwatch.StartNew();
                try
                {
                    await ArrowChunkReader.ReadAsync(client.GetGradeDistribution(huge, cancellationToken: ct), ct);
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
                {
                    lock (oversizedMs) oversizedMs.Add(sw.Elapsed.TotalMilliseconds);
                    Interlocked.Increment(ref oversized);
                }
                catch (Exception) when (ct.IsCancellationRequested)
                {
                    return;
                }
            }
        }));
        return new Hostile(done, failed, oversized, oversizedMs, costlyMs);
    }

    private static GrpcChannel Channel(int port, string token) => GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions
    {
        MaxReceiveMessageSize = null,
        Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("Authorization", "Bearer " + token);
            return Task.CompletedTask;
        })),
        UnsafeUseInsecureChannelCallCredentials = true,
    });

    private static string Token(string role, string laCode, string subject) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("qa_role", role), new Claim("la_code", laCode)]),
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Key), SecurityAlgorithms.HmacSha256),
    });
}
