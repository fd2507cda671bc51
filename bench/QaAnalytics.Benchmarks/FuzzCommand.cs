using System.Diagnostics;
using Google.Protobuf;
using Grpc.Net.Client;
using QaAnalytics.Ingest.Cli;
using QaAnalytics.Ingest.Loading;
using QaAnalytics.Ingest.Sample;
using QaAnalytics.Testing;

namespace QaAnalytics.Benchmarks;

/// <summary>
/// <c>fuzz [--seconds S] [--seed N] [--clients C] [--councils N] [--work DIR] [--replay FILE]</c> (issue 5 §3, the long
/// run): the generated sample (4 councils × 3 years by default) loaded, its risk model trained and
/// scored so GetRiskFlags answers too, the service on real HTTP/2 loopback in this process, and
/// <c>C</c> clients sending <see cref="RequestFuzzer"/> requests to every RPC. Prints the counts
/// per status code and per RPC; exits 1 if any call ended outside the allowed statuses.
/// </summary>
public static class FuzzCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = BenchMath.Arg(args, "--seconds", 60);
        var seed = BenchMath.Arg(args, "--seed", 1);
        var clients = BenchMath.Arg(args, "--clients", 4);
        var councils = BenchMath.Arg(args, "--councils", 4);
        var work = args.SkipWhile(a => a != "--work").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "qa-fuzz");
        var input = Path.Combine(work, $"sample-{councils}x3");
        var db = Path.Combine(work, $"db-{councils}x3", "qa.duckdb");
        if (!File.Exists(db))
        {
            SampleGenerator.Write(new SampleOptions(input, councils, 3));
            var load = await new Loader(Pseudonymiser.Demo(), TimeProvider.System).LoadAsync(new LoadRequest(db, input));
            Console.WriteLine($"loaded {load.RowsAccepted:N0} rows into {db}; training and scoring the risk model so GetRiskFlags has flags:");
            var model = Path.Combine(work, "risk-model");
            if (await IngestCli.RunAsync(["model", "train", "--db", db, "--model", model]) != 0
                || await IngestCli.RunAsync(["model", "score", "--db", db, "--model", model, "--show", "0"]) != 0)
            {
                Console.WriteLine("training or scoring failed: GetRiskFlags will answer NotFound");
            }
        }

        var port = ServiceProcess.FreeLoopbackPort();
        // Errors only: the service logs the exception behind an Internal at Error.
        await using var app = await ServiceBenchmark.StartInProcessAsync(db, port, LogLevel.Error);

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions { MaxReceiveMessageSize = null });
        var vocabulary = await FuzzVocabulary.FromCatalogueAsync(new Contracts.V1.QaAnalytics.QaAnalyticsClient(channel));
        Console.WriteLine($"fuzz: {clients} client(s) for {seconds} s, seeds {seed}..{seed + clients - 1}, every RPC of {RequestFuzzer.Service.FullName} " +
            $"({RequestFuzzer.Service.Methods.Count}); {vocabulary.For("team_ids").Length} team ids, {vocabulary.For("measures").Length} measures from the catalogue; per-call deadline 30 s");
        var report = new FuzzReport();
        var replay = args.SkipWhile(a => a != "--replay").Skip(1).FirstOrDefault();
        if (replay is not null)
        {
            // Each line of a failures file: the RPC, a tab, the request as JSON.
            foreach (var line in File.ReadLines(replay).Where(l => l.Contains('\t', StringComparison.Ordinal)))
            {
                var method = RequestFuzzer.Service.FindMethodByName(line[..line.IndexOf('\t', StringComparison.Ordinal)]);
                var request = JsonParser.Default.Parse(line[(line.IndexOf('\t', StringComparison.Ordinal) + 1)..], method.InputType);
                report.Add(method.Name, await RequestFuzzer.CallAsync(channel.CreateCallInvoker(), method, request, TimeSpan.FromSeconds(30)), request);
            }
            report.Print(Console.Out);
            return report.Failures.Count == 0 ? 0 : 1;
        }
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => FuzzReport.RunAsync(channel.CreateCallInvoker(), vocabulary, seed + c, int.MaxValue,
            TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(30), report)));
        Console.WriteLine($"done in {clock.Elapsed.TotalSeconds:0.0} s");
        report.Print(Console.Out);
        if (report.Failures.Count > 0)
        {
            var file = Path.Combine(work, $"failures-seed{seed}.txt");
            await File.WriteAllLinesAsync(file, report.Failures.Select(f => f.Rpc + "\t" + f.Request));
            Console.WriteLine($"the failing requests are in {file}; replay them with -- fuzz --replay {file}");
        }
        await app.StopAsync();
        return report.Failures.Count == 0 ? 0 : 1;
    }
}
