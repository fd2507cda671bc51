using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using QaAnalytics.Contracts.V1;
using QaAnalytics.Testing;

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
    /// <summary>
    /// Each measured call's latency in ms and whether it started after the measured phase's first 5 s
    /// (once the answers are mostly cached); the latencies of the warm-up's calls; the measured calls that failed.
    /// </summary>
    public sealed record Result(List<(double Ms, bool Late)> Calls, List<double> WarmUp, int Errors)
    {
        public List<double> All => Calls.Select(c => c.Ms).ToList();

        public List<double> Settled => Calls.Where(c => c.Late).Select(c => c.Ms).ToList();

        public List<double> Early => Calls.Where(c => !c.Late).Select(c => c.Ms).ToList();
    }

    /// <summary>
    /// The clients in this process. First, for <paramref name="warmSeconds"/>, the same clients ask the
    /// same councils by financial quarter (not measured): a freshly started .NET process compiles its
    /// hot code again, optimised, over its first 20–40 s under load (about 8,000 methods and 6 s of
    /// compiling in the service, 5,000 and 3 s in the clients' process, measured 2026-12-06), and
    /// that, not serving, made most of the tail of a cold run. The measured phase then asks by
    /// financial year, so its first seconds are still misses that compute. With
    /// <paramref name="thinkMs"/> &gt; 0 each client pauses between its calls for a random 0 to 2 ×
    /// that many ms (a person reading a dashboard). <paramref name="measuring"/> is called as the measured phase starts.
    /// </summary>
    public static async Task<Result> RunAsync(int port, int clients, int seconds, int thinkMs = 0, int warmSeconds = 0, Action? measuring = null)
    {
        var channels = Enumerable.Range(0, clients).Select(_ => GrpcChannel.ForAddress($"http://127.0.0.1:{port}")).ToList();
        try
        {
            var warm = await PhaseAsync(channels, warmSeconds, TimeGrain.FinancialQuarter, thinkMs);
            measuring?.Invoke();
            var measured = await PhaseAsync(channels, seconds, TimeGrain.FinancialYear, thinkMs);
            return new Result(measured.Calls, warm.Calls.Select(c => c.Ms).ToList(), measured.Errors);
        }
        finally
        {
            channels.ForEach(c => c.Dispose());
        }
    }

    private static async Task<(List<(double Ms, bool Late)> Calls, int Errors)> PhaseAsync(List<GrpcChannel> channels, int seconds, TimeGrain grain, int thinkMs)
    {
        var latencies = new List<(double Ms, bool Late)>[channels.Count];
        var begun = Stopwatch.StartNew();
        var errors = 0;
        var stop = DateTime.UtcNow.AddSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, channels.Count).Select(async c =>
        {
            var mine = latencies[c] = [];
            var client = new Contracts.V1.QaAnalytics.QaAnalyticsClient(channels[c]);
            var n = 0;
            while (DateTime.UtcNow < stop)
            {
                var sw = Stopwatch.StartNew();
                var late = begun.Elapsed > TimeSpan.FromSeconds(5);
                try
                {
                    var request = Request(800 + (c + n++) % 150, grain);
                    await ServiceBenchmark.Decode(client.GetGradeDistribution(request, deadline: DateTime.UtcNow.AddSeconds(30)));
                    mine.Add((sw.Elapsed.TotalMilliseconds, late));
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
                if (thinkMs > 0) await Task.Delay(Random.Shared.Next(2 * thinkMs + 1));
            }
        }));
        return (latencies.SelectMany(l => l).ToList(), errors);
    }

    /// <summary>The question each client asks: one council's service areas by <paramref name="grain"/>.</summary>
    public static GradeDistributionRequest Request(int council, TimeGrain grain) => new()
    {
        GroupBy = OrgLevel.ServiceArea, Grain = grain, Scope = new Scope { LaCodes = { council.ToString(CultureInfo.InvariantCulture) } },
    };

    /// <summary>The line the clients' process writes as its measured phase starts.</summary>
    private const string Measuring = "measuring";

    /// <summary>The clients in a process of their own (this benchmark run again with the command <c>clients</c>).</summary>
    public static async Task<Result> InOwnProcessAsync(int port, int clients, int seconds, int thinkMs = 0, int warmSeconds = 0, Action? measuring = null)
    {
        var output = Path.GetTempFileName();
        try
        {
            using var process = BenchProcess.Start("clients", "--port", $"{port}", "--clients", $"{clients}", "--seconds", $"{seconds}", "--think-ms", $"{thinkMs}", "--warm-up", $"{warmSeconds}", "--out", output);
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line == Measuring) measuring?.Invoke();
            }
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) throw new InvalidOperationException($"The clients' process failed (exit code {process.ExitCode}).");
            var lines = await File.ReadAllLinesAsync(output);
            var calls = lines.Skip(1).Select(l => l.Split(' ')).Select(p => (Ms: double.Parse(p[0], CultureInfo.InvariantCulture), Phase: p[1])).ToList();
            return new Result(calls.Where(c => c.Phase != "w").Select(c => (c.Ms, c.Phase == "1")).ToList(), calls.Where(c => c.Phase == "w").Select(c => c.Ms).ToList(),
                int.Parse(lines[0], CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>The command <c>clients --port P --clients N --seconds S [--think-ms T] [--warm-up W] --out FILE</c>: the measured failures, then one line per call ("ms phase": w warm-up, 0 the measured phase's first 5 s, 1 after).</summary>
    public static async Task<int> CommandAsync(string[] args)
    {
        var result = await RunAsync(BenchMath.Arg(args, "--port", 0), BenchMath.Arg(args, "--clients", 64), BenchMath.Arg(args, "--seconds", 30), BenchMath.Arg(args, "--think-ms", 0), BenchMath.Arg(args, "--warm-up", 0), () =>
        {
            Console.WriteLine(Measuring);
            Console.Out.Flush();
        });
        await using var writer = new StreamWriter(args[Array.IndexOf(args, "--out") + 1]);
        await writer.WriteLineAsync(result.Errors.ToString(CultureInfo.InvariantCulture));
        foreach (var ms in result.WarmUp) await writer.WriteLineAsync($"{ms.ToString("R", CultureInfo.InvariantCulture)} w");
        foreach (var (ms, late) in result.Calls) await writer.WriteLineAsync($"{ms.ToString("R", CultureInfo.InvariantCulture)} {(late ? 1 : 0)}");
        return 0;
    }
}
