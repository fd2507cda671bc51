using System.Diagnostics;
using System.Text.Json;
using QaAnalytics.Testing;

namespace QaAnalytics.Benchmarks;

/// <summary>
/// Dashboard speed (issue 12 §4): on the national-scale dataset (150 councils × 5 years, loaded once
/// into <c>$TMPDIR/qa-bench/service-db</c>), the built qa-service in its own process and the
/// browser test's driver (tests/browser/dashboard.mjs: Debian's chromium via playwright-core) opening
/// each page as a director of one council; prints, per page, the time from the page asking to its
/// data shown, cold (first visit) and warm (again): once as configured by default, once with the
/// dashboards' warm-up on (the visits start after it has finished). Usage: bench dashboard [--work DIR] [--council 800] [--no-warm-up]
/// </summary>
public static class DashboardBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var work = args.SkipWhile(a => a != "--work").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "qa-bench");
        var council = args.SkipWhile(a => a != "--council").Skip(1).FirstOrDefault() ?? "800";
        var db = await ServiceBenchmark.NationalDatabaseAsync(work);
        var root = RepositoryRoot();
        var dll = Path.Combine(AppContext.BaseDirectory, "qa-service.dll");
        Console.WriteLine($"Dashboard on the national sample (150 councils × 5 years), director of council {council}; time from the page asking to its data shown (goal <= 1000 ms):");
        foreach (var warmUp in args.Contains("--no-warm-up") ? [false] : new[] { false, true })
        {
            var (grpc, http) = (ServiceProcess.FreeLoopbackPort(), ServiceProcess.FreeLoopbackPort());
            var environment = new Dictionary<string, string> { ["QaAnalytics__SuppressBelowOrAt"] = "5", ["QaAnalytics__WarmUpDashboards"] = warmUp ? "true" : "false" };
            using var service = ServiceProcess.Start(dll, db, grpc, out var log, http, environment);
            try
            {
                await ServiceProcess.WaitUntilServing(service, grpc, log, TimeSpan.FromSeconds(60));
                var clock = Stopwatch.StartNew();
                while (warmUp && !log.Any(l => l.Contains("Warmed the dashboards' feeds", StringComparison.Ordinal)))
                {
                    if (clock.Elapsed > TimeSpan.FromSeconds(180)) throw new TimeoutException($"no warm-up line in 180 s:\n{ServiceProcess.Tail(log)}");
                    await Task.Delay(100);
                }
                Console.WriteLine(warmUp
                    ? $"  with the warm-up (QaAnalytics:WarmUpDashboards = true; {log.First(l => l.Contains("Warmed the dashboards' feeds", StringComparison.Ordinal)).Trim()}); cold = first visit after it, by a council it did not warm:"
                    : "  without the warm-up (the default); cold = the service's first calls:");
                if (await VisitAsync(root, work, council, http, log) is { } failed) return failed;
            }
            finally
            {
                service.Kill(entireProcessTree: true);
                await service.WaitForExitAsync();
            }
        }
        return 0;
    }

    /// <summary>Each page cold then warm through tests/browser/dashboard.mjs; prints one line per visit; an exit code on failure.</summary>
    private static async Task<int?> VisitAsync(string root, string work, string council, int http, System.Collections.Concurrent.ConcurrentQueue<string> log)
    {
        var dev = new { role = "director", la_code = council };
        var team = $"{council}-T03";
        var pages = new (string Name, string Hash)[] { ("overview", $"/overview?la_code={council}"), ("triangulation", $"/triangulation?la_code={council}"), ("risk-flags", $"/risk-flags?la_code={council}"), ("team", $"/team?team_id={team}") };
        var visits = pages.Select(p => (object)new { name = p.Name + "-cold", hash = p.Hash, dev })
            .Concat(pages.Select(p => (object)new { name = p.Name + "-warm", hash = p.Hash, dev })).ToArray();
        var plan = Path.Combine(Path.GetTempPath(), $"dashboard-plan-{Environment.ProcessId}.json");
        await File.WriteAllTextAsync(plan, JsonSerializer.Serialize(new { visits }));
        var info = new ProcessStartInfo("node") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(root, "tests", "browser", "dashboard.mjs"), "--base", $"http://127.0.0.1:{http}", "--plan", plan, "--screenshots", Path.Combine(Path.GetTempPath(), "dashboard-screenshots") }) info.ArgumentList.Add(a);
        using var node = Process.Start(info)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        if (node.ExitCode != 0)
        {
            Console.Error.WriteLine($"dashboard.mjs failed ({node.ExitCode}): {await stderr}\n{ServiceProcess.Tail(log)}");
            return 1;
        }
        using var report = JsonDocument.Parse(await stdout);
        foreach (var v in report.RootElement.GetProperty("visits").EnumerateArray())
        {
            var ms = v.GetProperty("dataMs");
            Console.WriteLine($"    {v.GetProperty("name").GetString(),-20} {(ms.ValueKind == JsonValueKind.Number ? $"{ms.GetDouble(),6:0} ms" : "     –"),-9}  {v.GetProperty("heading").GetString()}; {v.GetProperty("compared").GetInt32()} figures checked, {v.GetProperty("mismatches").GetArrayLength()} mismatches, {v.GetProperty("consoleErrors").GetArrayLength()} console errors");
        }
        return null;
    }

    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "QaAnalytics.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException("run from the repository: no QaAnalytics.sln above the current folder");
    }
}
