using System.Globalization;
using QaAnalytics.Testing;

namespace QaAnalytics.Benchmarks;

/// <summary>
/// <c>kill [--points N] [--seed S] [--councils N] [--years Y] [--work DIR]</c>: runs <see cref="KillHarness"/>
/// on the built qa-ingest and qa-service of this configuration and prints its figures; exits 1 if any check failed.
/// </summary>
public static class KillCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var work = args.SkipWhile(a => a != "--work").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "qa-kill");
        var options = new KillOptions(
            KillHarness.BuiltBinary("QaAnalytics.Ingest", "qa-ingest.dll"),
            KillHarness.BuiltBinary("QaAnalytics.Service", "qa-service.dll"),
            work,
            BenchMath.Arg(args, "--points", 20),
            BenchMath.Arg(args, "--seed", 1),
            BenchMath.Arg(args, "--councils", 8),
            BenchMath.Arg(args, "--years", 3));
        Console.WriteLine($"kill harness: {options.Points} SIGKILLs of qa-ingest load (seed {options.Seed}, dataset B {options.Councils} councils × {options.Years} years) in {work}");
        var summary = await KillHarness.RunAsync(options, Console.Out);
        var problems = summary.Problems.ToList();
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary.Points} kill points: {summary.Killed} loads killed ({summary.PartialLeft} with a half-built snapshot left behind), {summary.Points - summary.Killed} finished first; {summary.ServiceCalls} service calls"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reruns: median {BenchMath.Median(summary.Kills.Select(k => k.RerunSeconds).ToList()):0.00} s; each must end with the reference counts {string.Join(", ", summary.ExpectedRows.Select(r => $"{r.Key} {r.Value:N0}"))}"));
        Console.WriteLine(problems.Count == 0 ? "0 problems: the previous snapshot was intact and served after every kill, every rerun exact." : $"{problems.Count} problem(s):");
        foreach (var p in problems) Console.WriteLine("  " + p);
        return problems.Count == 0 ? 0 : 1;
    }
}
