using System.Globalization;
using QaAnalytics.Testing;

namespace QaAnalytics.Benchmarks;

/// <summary>
/// <c>soak [--seconds S] [--clients N] [--loads L] [--councils C] [--seed S] [--work DIR]</c>: runs <see cref="SoakHarness"/>
/// on the built qa-ingest and qa-service of this configuration and prints its figures; exits 1 on any error.
/// </summary>
public static class SoakCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var work = args.SkipWhile(a => a != "--work").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "qa-soak");
        var options = new SoakOptions(
            KillHarness.BuiltBinary("QaAnalytics.Ingest", "qa-ingest.dll"),
            KillHarness.BuiltBinary("QaAnalytics.Service", "qa-service.dll"),
            work,
            BenchMath.Arg(args, "--seconds", 60),
            BenchMath.Arg(args, "--clients", 64),
            BenchMath.Arg(args, "--loads", 0),
            BenchMath.Arg(args, "--councils", 4),
            BenchMath.Arg(args, "--seed", 1));
        Console.WriteLine($"soak: {options.Clients} clients for {options.Seconds} s against qa-service while qa-ingest load publishes " +
            $"{(options.Loads == 0 ? "snapshots back to back" : $"{options.Loads} snapshot(s)")} (sample {options.Councils} councils × 3 years) in {work}");
        var s = await SoakHarness.RunAsync(options, Console.Out);
        var byStatus = s.ErrorCount == 0 ? "" : " (" + string.Join(", ", s.Errors.Select(e => $"{e.Key} {e.Value}")) + ")";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{s.Calls:N0} calls ({s.Calls / (double)options.Seconds:0}/s), p50 {s.P50:0.0} ms, p99 {s.P99:0.0} ms; errors {s.ErrorCount}{byStatus}; snapshots published {s.SnapshotsPublished.Count} (1 before the clients started), seen in answers {s.SnapshotsSeen.Count}"));
        foreach (var p in s.Problems) Console.WriteLine("  " + p);
        return s.ErrorCount == 0 && s.Problems.Count == 0 ? 0 : 1;
    }
}
