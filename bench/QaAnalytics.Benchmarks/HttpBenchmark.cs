using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Apache.Arrow.Ipc;
using Grpc.Net.Client;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Testing;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Benchmarks;

/// <summary>
/// Issue 11's benchmark: one team × month result (GetGradeDistribution, every month of the data)
/// read three ways from the same service in the same run — the gRPC Arrow stream, Arrow over plain
/// HTTP (<c>/api/v1</c>), and the OData JSON feed paged through <c>@odata.nextLink</c> — each decoded
/// by its client (Apache.Arrow's reader; System.Text.Json, counting the rows). A first call computes
/// and caches the result, so the rounds time the transports, alternating. Usage:
/// bench http [--rounds R] [--work DIR] (the national dataset of <c>bench service</c>, built if missing).
/// </summary>
public static class HttpBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = BenchMath.Arg(args, "--rounds", 5);
        var work = args.SkipWhile(a => a != "--work").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "qa-bench");
        var db = await ServiceBenchmark.NationalDatabaseAsync(work);
        var port = ServiceProcess.FreeLoopbackPort();
        var httpPort = ServiceProcess.FreeLoopbackPort();
        await using var app = await ServiceBenchmark.StartInProcessAsync(db, port, LogLevel.Warning, ("QaAnalytics:HttpPort", httpPort.ToString(CultureInfo.InvariantCulture)));
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions { MaxReceiveMessageSize = null });
        var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromMinutes(10) };
        var request = new GradeDistributionRequest { GroupBy = OrgLevel.Team, Grain = TimeGrain.Month };

        var clock = Stopwatch.StartNew();
        var (rows, bytes) = await Grpc(client, request);
        Console.WriteLine($"GetGradeDistribution team × month: {rows:N0} rows, {bytes / 1e6:0.0} MB Arrow IPC; first call (computed and cached) {clock.Elapsed.TotalSeconds:0.00} s");

        var grpc = new List<double>();
        var arrow = new List<double>();
        var odata = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            clock.Restart();
            var (grpcRows, _) = await Grpc(client, request);
            grpc.Add(clock.Elapsed.TotalSeconds);
            clock.Restart();
            var (httpRows, httpBytes) = await ArrowOverHttp(http, "/api/v1/grade-distribution?group_by=team&grain=month");
            arrow.Add(clock.Elapsed.TotalSeconds);
            clock.Restart();
            var (odataRows, pages) = await ODataPaged(http, "/odata/GradeDistributionByTeamMonth");
            odata.Add(clock.Elapsed.TotalSeconds);
            if (grpcRows != rows || httpRows != rows || odataRows != rows || httpBytes != bytes)
            {
                Console.Error.WriteLine($"round {round + 1}: rows differ (gRPC {grpcRows}, HTTP {httpRows} / {httpBytes} bytes, OData {odataRows} in {pages} pages)");
                return 1;
            }
        }
        double G = BenchMath.Median(grpc), A = BenchMath.Median(arrow), O = BenchMath.Median(odata);
        Console.WriteLine($"medians of {rounds} alternating rounds (each decoded by its client):");
        Console.WriteLine($"  gRPC Arrow stream      {G * 1000,8:0} ms  {bytes / 1e6 / G,8:0} MB/s  {rows / G,12:N0} rows/s");
        Console.WriteLine($"  Arrow over HTTP/1.1    {A * 1000,8:0} ms  {bytes / 1e6 / A,8:0} MB/s  {rows / A,12:N0} rows/s   time ÷ gRPC {A / G:0.00} (goal <= 1.2)");
        Console.WriteLine($"  OData JSON, paged      {O * 1000,8:0} ms  {"",8}       {rows / O,12:N0} rows/s   (goal >= 100,000 rows/s); time ÷ gRPC {O / G:0.00}");
        await app.StopAsync();
        return 0;
    }

    private static async Task<(long Rows, long Bytes)> Grpc(Contracts.V1.QaAnalytics.QaAnalyticsClient client, GradeDistributionRequest request)
    {
        var (_, rows, bytes) = await ArrowChunkReader.StreamAsync(client.GetGradeDistribution(request, deadline: DateTime.UtcNow.AddMinutes(10)), _ => { });
        return (rows, bytes);
    }

    private static async Task<(long Rows, long Bytes)> ArrowOverHttp(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new ArrowStreamReader(body);
        long rows = 0;
        while (await reader.ReadNextRecordBatchAsync() is { } batch)
        {
            using (batch) rows += batch.Length;
        }
        return (rows, response.Content.Headers.ContentLength ?? -1);
    }

    private static async Task<(long Rows, int Pages)> ODataPaged(HttpClient http, string url)
    {
        long rows = 0;
        var pages = 0;
        var next = url;
        while (next is not null)
        {
            using var response = await http.GetAsync(next, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            using var json = await JsonDocument.ParseAsync(body);
            rows += json.RootElement.GetProperty("value").GetArrayLength();
            next = json.RootElement.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
            pages++;
        }
        return (rows, pages);
    }
}
