using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Testing;
using QaAnalytics.Testing.Client;

namespace QaAnalytics.Benchmarks;

/// <summary>
/// Section (d) of the service benchmark: concurrent dashboard clients, each on its own channel,
/// asking for one council's service areas by financial year (150 councils in turn, so the first
/// seconds are misses and the rest mostly cache hits), each answer decoded. By default the clients
/// run in a process of their own, as real callers do (this benchmark's command <c>clients</c>), so
/// the service's thread pool and garbage collector serve only the service; they still share the
/// machine's cores with it.
/// </summary>
public static class ConcurrentClients
{
    /// <summary>Each call's latency in ms and whether it started after the first 5 s (once the answers are mostly cached); the calls that failed.</summary>
    public sealed record Result(List<(double Ms, bool Late)> Calls, int Errors)
    {
        public List<double> All => Calls.Select(c => c.Ms).ToList();

        public List<double> Settled => Calls.Where(c => c.Late).Select(c => c.Ms).ToList();
    }

    /// <summary>The clients in this process.</summary>
    public static async Task<Result> RunAsync(int port, int clients, int seconds)
    {
        var latencies = new List<(double Ms, bool Late)>[clients];
        var begun = Stopwatch.StartNew();
        var errors = 0;
        var stop = DateTime.UtcNow.AddSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            var mine = latencies[c] = [];
            using var own = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
            var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(own);
            var n = 0;
            while (DateTime.UtcNow < stop)
            {
                var sw = Stopwatch.StartNew();
                var late = begun.Elapsed > TimeSpan.FromSeconds(5);
                try
                {
                    var request = new GradeDistributionRequest
                    {
                        GroupBy = OrgLevel.ServiceArea, Grain = TimeGrain.FinancialYear,
                        Scope = new Scope { LaCodes = { (800 + (c + n++) % 150).ToString(CultureInfo.InvariantCulture) } },
                    };
                    foreach (var (_, batches) in await ArrowChunkReader.ReadBatchesAsync(client.GetGradeDistribution(request, deadline: DateTime.UtcNow.AddSeconds(30))))
                    {
                        foreach (var batch in batches) batch.Dispose();
                    }
                    mine.Add((sw.Elapsed.TotalMilliseconds, late));
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        return new Result(latencies.SelectMany(l => l).ToList(), errors);
    }

    /// <summary>The clients in a process of their own (this benchmark run again with the command <c>clients</c>).</summary>
    public static async Task<Result> InOwnProcessAsync(int port, int clients, int seconds)
    {
        var output = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(ConcurrentClients).Assembly.Location);
            foreach (var arg in new[] { "clients", "--port", $"{port}", "--clients", $"{clients}", "--seconds", $"{seconds}", "--out", output }) start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) throw new InvalidOperationException($"The clients' process failed (exit code {process.ExitCode}).");
            var lines = await File.ReadAllLinesAsync(output);
            var calls = lines.Skip(1).Select(l => l.Split(' ')).Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), p[1] == "1")).ToList();
            return new Result(calls, int.Parse(lines[0], CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>The command <c>clients --port P --clients N --seconds S --out FILE</c>: the failures, then one line per call ("ms late").</summary>
    public static async Task<int> CommandAsync(string[] args)
    {
        var result = await RunAsync(BenchMath.Arg(args, "--port", 0), BenchMath.Arg(args, "--clients", 64), BenchMath.Arg(args, "--seconds", 30));
        await using var writer = new StreamWriter(args[Array.IndexOf(args, "--out") + 1]);
        await writer.WriteLineAsync(result.Errors.ToString(CultureInfo.InvariantCulture));
        foreach (var (ms, late) in result.Calls) await writer.WriteLineAsync($"{ms.ToString("R", CultureInfo.InvariantCulture)} {(late ? 1 : 0)}");
        return 0;
    }
}
