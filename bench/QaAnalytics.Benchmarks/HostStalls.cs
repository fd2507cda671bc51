using System.Diagnostics;

namespace QaAnalytics.Benchmarks;

/// <summary>
/// How often the machine itself takes a core away while every core is busy: one thread per core
/// spins for a while, reading the clock, and every gap of 10 ms or more between two readings is a
/// stall no program on this machine caused or could avoid (a virtual machine's host running
/// something else, or throttling it). Printed beside section (d): while 64 clients keep both cores
/// busy, each such stall delays every call in flight on that core, so the stalls set a floor under
/// p99 that no change to the service can lower. Measured on 2026-12-06 here: gaps of exactly 100 ms
/// (a host's scheduling period), about 7% of the spinning time, even for a spinner at nice −20.
/// </summary>
public static class HostStalls
{
    public sealed record Result(int Stalls, double LongestMs, double StalledShare, TimeSpan Spun);

    public static Result Measure(TimeSpan duration)
    {
        var threshold = Stopwatch.Frequency / 100;  // 10 ms
        var cores = Environment.ProcessorCount;
        var found = new (int Count, long Longest, long Total)[cores];
        var threads = Enumerable.Range(0, cores).Select(i => new Thread(() =>
        {
            var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var last = Stopwatch.GetTimestamp();
            while (last < end)
            {
                var now = Stopwatch.GetTimestamp();
                if (now - last >= threshold)
                {
                    found[i].Count++;
                    found[i].Total += now - last;
                    found[i].Longest = Math.Max(found[i].Longest, now - last);
                }
                last = now;
            }
        }) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        return new Result(found.Sum(f => f.Count), Ms(found.Max(f => f.Longest)), found.Sum(f => (double)f.Total) / Stopwatch.Frequency / (duration.TotalSeconds * cores), duration);
    }

    public static string Describe(Result r) =>
        $"the machine's own stalls with every core busy ({Environment.ProcessorCount} threads spinning {r.Spun.TotalSeconds:0} s, nothing else running): {r.Stalls} gaps of 10 ms or more, longest {r.LongestMs:0} ms, {r.StalledShare:P1} of the time";
}
