using System.Diagnostics;

namespace QaAnalytics.Benchmarks;

/// <summary>This benchmark program started again as a process of its own (for the service's clients, or a phase whose memory must be its own).</summary>
public static class BenchProcess
{
    /// <summary>Starts this program with <paramref name="args"/>, its standard output redirected to the caller.</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(BenchProcess).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }
}
