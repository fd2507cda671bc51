using System.Globalization;
using QaAnalytics.Service.Arrow;
using QaAnalytics.Service.Gate;

namespace QaAnalytics.Tests.Service.Gate;

/// <summary>The heavy lane's threads: lower operating-system priority, and a query's awaits stay on them.</summary>
public sealed class LowPrioritySchedulerTests
{
    [Fact]
    public async Task Run_WorkAndItsAwaits_OnTheLanesThreadTenNiceAbove()
    {
        using var scheduler = new LowPriorityScheduler(1);
        var callers = CurrentNice();

        var (before, after, nice) = await scheduler.Run(async () =>
        {
            var first = Thread.CurrentThread.Name;
            await Task.Delay(10);  // resumes through the scheduler, not on the thread pool
            return (first, Thread.CurrentThread.Name, CurrentNice());
        });

        Assert.Equal("heavy lane 1", before);
        Assert.Equal("heavy lane 1", after);
        Assert.True(scheduler.Lowered);
        if (OperatingSystem.IsLinux()) Assert.Equal(Math.Min(19, callers + LowPriorityScheduler.Niceness), nice);
        Assert.Equal(callers, CurrentNice());  // the caller's own thread is untouched
    }

    [Fact]
    public async Task QueryGate_HeavyPlanOnTheLowPriorityThread_LightPlanNot()
    {
        using var gate = new QueryGate(1, heavySlots: 1, heavyLowPriority: true);

        var heavy = await gate.RunAsync("costly", QueryWeight.Heavy, _ => Task.FromResult(Thread.CurrentThread.Name), CancellationToken.None);
        var light = await gate.RunAsync("small", QueryWeight.Light, _ => Task.FromResult(Thread.CurrentThread.Name), CancellationToken.None);

        Assert.Equal("heavy lane 1", heavy);
        Assert.NotEqual("heavy lane 1", light);
    }

    [Fact]
    public async Task QueryGate_WithoutLowPriority_HeavyPlanRunsOnTheCallersThreads()
    {
        using var gate = new QueryGate(1, heavySlots: 1, heavyLowPriority: false);

        var heavy = await gate.RunAsync("costly", QueryWeight.Heavy, _ => Task.FromResult(Thread.CurrentThread.Name), CancellationToken.None);

        Assert.NotEqual("heavy lane 1", heavy);
    }

    [Fact]
    public async Task Run_ManyCalls_NoOtherThreadOfTheProcessInheritsTheLowerPriority()
    {
        var baseline = CurrentNice();
        using var scheduler = new LowPriorityScheduler(2);

        // Each call awaits on the lane and hands its result back; the pool grows meanwhile.
        await Task.WhenAll(Enumerable.Range(0, 400).Select(i => scheduler.Run(async () =>
        {
            await Task.Yield();
            return await Task.Run(() => i);
        })));

        if (!OperatingSystem.IsLinux()) return;
        var lowered = Directory.EnumerateDirectories("/proc/self/task")
            .Select(ReadThread)
            .OfType<(string Name, int Nice)>()  // a thread that ended between the listing and the read is gone, not lowered
            .Where(t => !t.Name.StartsWith("heavy lane", StringComparison.Ordinal) && t.Name != ChunkReserve.ThreadName && t.Nice != baseline)  // the reserve's thread is lowered on purpose
            .ToList();
        Assert.Empty(lowered);
    }

    /// <summary>A thread's name and nice value, or null when it ended before they could be read (other tests start and end threads meanwhile).</summary>
    private static (string Name, int Nice)? ReadThread(string task)
    {
        try
        {
            return (File.ReadAllText(Path.Combine(task, "comm")).Trim(), Nice(File.ReadAllText(Path.Combine(task, "stat"))));
        }
        catch (IOException)  // DirectoryNotFoundException, FileNotFoundException, or ESRCH on a thread that just ended
        {
            return null;
        }
    }

    /// <summary>The calling thread's nice value (field 19 of /proc/thread-self/stat), 0 off Linux.</summary>
    private static int CurrentNice()
    {
        return OperatingSystem.IsLinux() ? Nice(File.ReadAllText("/proc/thread-self/stat")) : 0;
    }

    private static int Nice(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], CultureInfo.InvariantCulture);  // fields from the 3rd (state); nice is the 19th
    }
}
